package io.github.bpfmaps.runtime;

import io.github.bpfmaps.spec.AttachType;
import org.jspecify.annotations.Nullable;

/**
 * What the kernel says about a link ({@code struct bpf_link_info}, {@code include/uapi/linux/bpf.h},
 * read by {@code BPF_OBJ_GET_INFO_BY_FD}): the fields every link has and those of its type; the
 * fields of other types are 0, empty or null.
 *
 * @param id the link's system-wide id ({@code bpftool link show id N})
 * @param type the link type
 * @param progId the id of the program the link runs
 * @param attachType the attach type, for XDP (always {@link AttachType#XDP}), tcx, cgroup, netns and
 *     tracing links; null for the others
 * @param ifindex the interface of an XDP or tcx link, else 0
 * @param cgroupId the cgroup's id (its inode number) for a cgroup link, else 0
 * @param tracepoint the tracepoint of a raw tracepoint link, else empty
 * @param targetObjId for a tracing link, the id of the BTF object (vmlinux or a module) of its target
 * @param targetBtfId for a tracing link, the BTF id of its target function or tracepoint
 */
public record LinkInfo(
    int id,
    LinkType type,
    int progId,
    @Nullable AttachType attachType,
    int ifindex,
    long cgroupId,
    String tracepoint,
    int targetObjId,
    int targetBtfId) {}
