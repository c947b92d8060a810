package io.github.bpfmaps.spec;

/**
 * What the kernel says about a loaded program ({@code struct bpf_prog_info}, {@code
 * include/uapi/linux/bpf.h}), as read by {@code BPF_OBJ_GET_INFO_BY_FD}: the fields a loader, a
 * test or a metrics exporter looks at.
 *
 * @param type {@code enum bpf_prog_type} (the kernel's number; {@link ProgramType#id()} for the
 *     ones this library names)
 * @param id the program's system-wide id (what {@code bpftool prog show id N} takes)
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
public record ProgramInfo(
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
