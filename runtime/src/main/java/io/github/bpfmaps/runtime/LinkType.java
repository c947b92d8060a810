package io.github.bpfmaps.runtime;

/**
 * The kernel's {@code enum bpf_link_type} ({@code include/uapi/linux/bpf.h}), in kernel order so
 * that {@link #id()} is the value {@code struct bpf_link_info.type} holds.
 */
public enum LinkType {
  UNSPEC,
  RAW_TRACEPOINT,
  TRACING,
  CGROUP,
  ITER,
  NETNS,
  XDP,
  PERF_EVENT,
  KPROBE_MULTI,
  STRUCT_OPS,
  NETFILTER,
  TCX,
  UPROBE_MULTI,
  NETKIT,
  SOCKMAP;

  /** The kernel's number for this link type. */
  public int id() {
    return ordinal();
  }

  /** The link type numbered {@code id}, or {@link #UNSPEC} for a number this library does not know. */
  public static LinkType fromId(int id) {
    LinkType[] all = values();
    return id >= 0 && id < all.length ? all[id] : UNSPEC;
  }
}
