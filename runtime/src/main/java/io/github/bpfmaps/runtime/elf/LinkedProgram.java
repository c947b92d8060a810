package io.github.bpfmaps.runtime.elf;

import io.github.bpfmaps.runtime.ProgramSpec;
import java.util.List;

/**
 * A program ready for {@code BPF_PROG_LOAD}: its instructions with the subprograms it calls
 * appended, every call offset fixed and every map reference patched, plus the function and line
 * info of {@code .BTF.ext} moved to the final instruction indices.
 *
 * <p>The arrays and lists belong to the caller; nothing else holds them.
 *
 * @param spec the program
 * @param instructions the final instructions, 8 bytes each, little-endian
 * @param funcInfo function info, in instruction order, indices into {@code instructions}
 * @param lineInfo line info, in instruction order, indices into {@code instructions}
 * @param coreRelos CO-RE relocations, indices into {@code instructions}; not applied here (the
 *     loader passes them to the kernel, or the instructions keep the compile-time offsets)
 * @param mapsUsed the names of the maps referenced, in first-use order (the order of {@code
 *     fd_array} when linked with map indices)
 */
public record LinkedProgram(
    ProgramSpec spec,
    byte[] instructions,
    List<BtfExt.FuncInfo> funcInfo,
    List<BtfExt.LineInfo> lineInfo,
    List<BtfExt.CoreRelo> coreRelos,
    List<String> mapsUsed) {

  /** The number of instructions. */
  public int instructionCount() {
    return instructions.length / Insn.SIZE;
  }
}
