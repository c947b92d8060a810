package io.github.bpfmaps.runtime.sys;

import io.github.bpfmaps.errors.BpfSyscallException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The {@code bpf(2)} commands of BPF links and attachment: {@code BPF_LINK_CREATE}, {@code
 * BPF_LINK_UPDATE}, {@code BPF_LINK_DETACH}, {@code BPF_RAW_TRACEPOINT_OPEN}, and {@code
 * BPF_OBJ_GET_INFO_BY_FD} on a link. Offsets are those of {@code union bpf_attr} and {@code struct
 * bpf_link_info} in {@code include/uapi/linux/bpf.h}; each attr is zeroed up to the size passed.
 * Every method is one system call and throws a {@link BpfSyscallException} naming the command and
 * the hook on failure; the callers add what the errno means for their hook.
 */
public final class LinkSys {
  private LinkSys() {}

  /** {@code BPF_RAW_TRACEPOINT_OPEN}, command 17 of {@code enum bpf_cmd}. */
  public static final int BPF_RAW_TRACEPOINT_OPEN = 17;
  /** {@code BPF_LINK_CREATE}, command 28. */
  public static final int BPF_LINK_CREATE = 28;
  /** {@code BPF_LINK_UPDATE}, command 29. */
  public static final int BPF_LINK_UPDATE = 29;
  /** {@code BPF_LINK_DETACH}, command 34. */
  public static final int BPF_LINK_DETACH = 34;

  /** {@code BPF_F_REPLACE}: {@code BPF_LINK_UPDATE} only if the link still runs {@code old_prog_fd}. */
  public static final int BPF_F_REPLACE = 1 << 2;

  /** {@code XDP_FLAGS_SKB_MODE} ({@code include/uapi/linux/if_link.h}): generic XDP. */
  public static final int XDP_FLAGS_SKB_MODE = 1 << 1;
  /** {@code XDP_FLAGS_DRV_MODE}: native, in the driver. */
  public static final int XDP_FLAGS_DRV_MODE = 1 << 2;
  /** {@code XDP_FLAGS_HW_MODE}: offloaded to the NIC. */
  public static final int XDP_FLAGS_HW_MODE = 1 << 3;

  // link_create: prog_fd u32 @0, target_fd/target_ifindex u32 @4, attach_type u32 @8, flags u32 @12,
  // then a union @16 (target_btf_id; perf_event.bpf_cookie u64; tcx.relative_fd u32 + expected_revision
  // u64 @24; ...). 48 bytes cover every member we write; the kernel reads zeros for the rest.
  private static final int LINK_CREATE_ATTR_SIZE = 48;
  private static final int LINK_INFO_SIZE = 64; // struct bpf_link_info up to the largest member we read

  /**
   * {@code BPF_LINK_CREATE}: attaches {@code progFd} to {@code targetFd} (an ifindex, a cgroup or
   * perf event fd, 0 for tracing programs) as {@code attachType}. Returns the link's fd, owned by
   * the caller.
   *
   * @param targetBtfId for tracing programs attached to another BTF id, else 0
   * @param hook names the attachment in the error ({@code xdp on veth0})
   */
  public static int linkCreate(int progFd, int targetFd, int attachType, int flags, int targetBtfId, String hook) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(LINK_CREATE_ATTR_SIZE);
    a.putInt(0, progFd);
    a.putInt(4, targetFd);
    a.putInt(8, attachType);
    a.putInt(12, flags);
    a.putInt(16, targetBtfId);
    long r = BpfSys.bpf(BPF_LINK_CREATE, s.attrAddress, LINK_CREATE_ATTR_SIZE);
    if (r < 0) {
      throw BpfSyscallException.of("BPF_LINK_CREATE", hook, (int) -r, null);
    }
    return (int) r;
  }

  /**
   * {@code BPF_LINK_UPDATE}: makes the link run {@code newProgFd} instead, atomically (the hook never
   * runs neither program). With {@code oldProgFd} non-zero ({@code BPF_F_REPLACE}) only if the link
   * still runs that program (EPERM otherwise).
   */
  public static void linkUpdate(int linkFd, int newProgFd, int oldProgFd, String hook) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(16);
    a.putInt(0, linkFd);
    a.putInt(4, newProgFd);
    a.putInt(8, oldProgFd != 0 ? BPF_F_REPLACE : 0);
    a.putInt(12, oldProgFd);
    long r = BpfSys.bpf(BPF_LINK_UPDATE, s.attrAddress, 16);
    if (r < 0) {
      throw BpfSyscallException.of("BPF_LINK_UPDATE", hook, (int) -r, null);
    }
  }

  /**
   * {@code BPF_LINK_DETACH}: detaches the link from its hook now, even while it is pinned or other
   * fds hold it; the link object stays (defunct) until its last reference goes.
   */
  public static void linkDetach(int linkFd, String hook) {
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(8);
    a.putInt(0, linkFd);
    long r = BpfSys.bpf(BPF_LINK_DETACH, s.attrAddress, 4);
    if (r < 0) {
      throw BpfSyscallException.of("BPF_LINK_DETACH", hook, (int) -r, null);
    }
  }

  /**
   * {@code BPF_RAW_TRACEPOINT_OPEN}: attaches a raw tracepoint program to the tracepoint {@code
   * name}, or, with {@code name} null, a tracing program ({@code tp_btf}, {@code fentry}, {@code
   * fexit}, {@code fmod_ret}, {@code lsm}) to the target it was loaded for. Returns the link's fd.
   */
  public static int rawTracepointOpen(@Nullable String name, int progFd, String hook) {
    ByteBuffer n = null;
    if (name != null) {
      byte[] b = name.getBytes(StandardCharsets.UTF_8);
      n = ByteBuffer.allocateDirect(b.length + 1).order(ByteOrder.nativeOrder());
      n.put(0, b, 0, b.length);
    }
    Scratch s = Scratch.get();
    ByteBuffer a = s.attr(16);
    a.putLong(0, n == null ? 0 : Scratch.address(n));
    a.putInt(8, progFd);
    long r = BpfSys.bpf(BPF_RAW_TRACEPOINT_OPEN, s.attrAddress, 12);
    Reference.reachabilityFence(n);
    if (r < 0) {
      throw BpfSyscallException.of("BPF_RAW_TRACEPOINT_OPEN", hook, (int) -r, null);
    }
    return (int) r;
  }

  /**
   * The raw {@code struct bpf_link_info} of a link ({@code BPF_OBJ_GET_INFO_BY_FD}): {@code type} at
   * 0, {@code id} at 4, {@code prog_id} at 8, the per-type union from 16. For raw tracepoint links
   * the tracepoint's name is fetched too (a second call with a buffer for it) and returned in {@code
   * tpName}.
   */
  public static RawLinkInfo linkInfo(int linkFd, String hook) {
    ByteBuffer info = ByteBuffer.allocateDirect(LINK_INFO_SIZE).order(ByteOrder.nativeOrder());
    infoCall(linkFd, info, hook);
    String tpName = "";
    if (info.getInt(0) == 1) { // BPF_LINK_TYPE_RAW_TRACEPOINT: tp_name u64 @16, tp_name_len u32 @24
      ByteBuffer name = ByteBuffer.allocateDirect(256);
      ByteBuffer again = ByteBuffer.allocateDirect(LINK_INFO_SIZE).order(ByteOrder.nativeOrder());
      again.putLong(16, Scratch.address(name));
      again.putInt(24, 256);
      infoCall(linkFd, again, hook);
      int len = 0;
      while (len < 256 && name.get(len) != 0) {
        len++;
      }
      byte[] b = new byte[len];
      name.get(0, b, 0, len);
      tpName = new String(b, StandardCharsets.UTF_8);
      info = again;
    }
    byte[] raw = new byte[LINK_INFO_SIZE];
    info.get(0, raw, 0, LINK_INFO_SIZE);
    return new RawLinkInfo(raw, tpName);
  }

  private static void infoCall(int fd, ByteBuffer info, String hook) {
    BpfSys.objInfo(fd, Scratch.address(info), LINK_INFO_SIZE, hook);
    Reference.reachabilityFence(info);
  }

  /**
   * A link's {@code struct bpf_link_info} as the kernel wrote it (its first 64 bytes, native
   * order) and, for raw tracepoint links, the tracepoint's name.
   */
  public record RawLinkInfo(byte[] bytes, String tpName) {
    /** The u32 at {@code offset}. */
    public int u32(int offset) {
      return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt(offset);
    }

    /** The u64 at {@code offset}. */
    public long u64(int offset) {
      return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong(offset);
    }
  }

  /** The kind of bpf object an fd refers to, from its {@code /proc/self/fd} link ({@code anon_inode:bpf-link}). */
  public static String fdKind(int fd) {
    try {
      String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("anon_inode:") ? target.substring("anon_inode:".length()) : target;
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
