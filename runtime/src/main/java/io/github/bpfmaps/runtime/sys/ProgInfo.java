package io.github.bpfmaps.runtime.sys;

/**
 * The fields of {@code struct bpf_prog_info} ({@code include/uapi/linux/bpf.h}) a loader and tests
 * look at, read by {@code BPF_OBJ_GET_INFO_BY_FD}.
 *
 * @param type {@code enum bpf_prog_type}
 * @param id the program's system-wide id
 * @param tag the 8-byte program tag, as 16 hex digits
 * @param name the kernel's name (at most 15 bytes)
 * @param jitedLength bytes of JITed code
 * @param xlatedLength bytes of translated instructions
 * @param mapCount how many maps the program uses
 * @param btfId the program's BTF id, 0 if none
 * @param runTimeNs accumulated run time (only with {@code kernel.bpf_stats_enabled})
 * @param runCount accumulated runs (idem)
 * @param verifiedInsns instructions the verifier processed
 */
public record ProgInfo(
    int type,
    int id,
    String tag,
    String name,
    int jitedLength,
    int xlatedLength,
    int mapCount,
    int btfId,
    long runTimeNs,
    long runCount,
    int verifiedInsns) {}
