package io.github.bpfmaps.elf;

/**
 * A relocation of one instruction of an executable section, classified when the object is
 * opened so that linking cannot fail on the object's own contents.
 *
 * @param instruction the instruction index within its section
 * @param kind what the instruction refers to
 * @param symbol the ELF symbol named by the relocation (for messages)
 * @param mapName for {@link Kind#MAP_FD} and {@link Kind#MAP_VALUE}: the map's name
 * @param valueOffset for {@link Kind#MAP_VALUE}: the byte offset into the map's value
 * @param targetSection for {@link Kind#CALL} and {@link Kind#FUNC_ADDR}: the section index called
 * @param targetInstruction for calls: the instruction index called, within {@code targetSection}
 */
public record ProgramReloc(
    int instruction,
    Kind kind,
    String symbol,
    String mapName,
    long valueOffset,
    int targetSection,
    int targetInstruction) {

  /** What a relocated instruction refers to. */
  public enum Kind {
    /** {@code ld_imm64} of a map: becomes {@code BPF_PSEUDO_MAP_FD} (or {@code _IDX}). */
    MAP_FD,
    /** {@code ld_imm64} of an address in global data: {@code BPF_PSEUDO_MAP_VALUE} plus offset. */
    MAP_VALUE,
    /** A call of a subprogram: {@code BPF_PSEUDO_CALL} with a relative offset. */
    CALL,
    /** {@code ld_imm64} of a subprogram's address (a callback): {@code BPF_PSEUDO_FUNC}. */
    FUNC_ADDR,
    /**
     * A reference to an undefined symbol: a {@code __kconfig} or {@code __ksym} extern, or a kfunc
     * call. The object opens, but linking a program that reaches one fails until externs are
     * resolved.
     */
    EXTERN
  }
}
