package io.github.bpfmaps.elf;

import io.github.bpfmaps.spec.ProgramSpec;
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

  /** {@code sizeof(struct bpf_func_info)}, the {@code func_info_rec_size} to pass with {@link #funcInfoBytes()}. */
  public static final int FUNC_INFO_SIZE = 8;
  /** {@code sizeof(struct bpf_line_info)}, the {@code line_info_rec_size}. */
  public static final int LINE_INFO_SIZE = 16;
  /** {@code sizeof(struct bpf_core_relo)}. */
  public static final int CORE_RELO_SIZE = 16;

  /** The number of instructions. */
  public int instructionCount() {
    return instructions.length / Insn.SIZE;
  }

  /** {@link #funcInfo()} as the array of {@code struct bpf_func_info} {@code BPF_PROG_LOAD} takes. */
  public byte[] funcInfoBytes() {
    byte[] out = new byte[funcInfo.size() * FUNC_INFO_SIZE];
    for (int i = 0; i < funcInfo.size(); i++) {
      putInts(out, i * FUNC_INFO_SIZE, funcInfo.get(i).instruction(), funcInfo.get(i).typeId());
    }
    return out;
  }

  /** {@link #lineInfo()} as the array of {@code struct bpf_line_info} {@code BPF_PROG_LOAD} takes. */
  public byte[] lineInfoBytes() {
    byte[] out = new byte[lineInfo.size() * LINE_INFO_SIZE];
    for (int i = 0; i < lineInfo.size(); i++) {
      BtfExt.LineInfo l = lineInfo.get(i);
      putInts(out, i * LINE_INFO_SIZE, l.instruction(), l.fileNameOffset(), l.lineOffset(), l.lineCol());
    }
    return out;
  }

  /**
   * {@link #coreRelos()} as the array of {@code struct bpf_core_relo} {@code BPF_PROG_LOAD} takes
   * (kernel 5.17+); unlike function and line info, its {@code insn_off} is in bytes.
   */
  public byte[] coreReloBytes() {
    byte[] out = new byte[coreRelos.size() * CORE_RELO_SIZE];
    for (int i = 0; i < coreRelos.size(); i++) {
      BtfExt.CoreRelo c = coreRelos.get(i);
      putInts(out, i * CORE_RELO_SIZE, c.instruction() * Insn.SIZE, c.typeId(), c.accessStringOffset(), c.kind());
    }
    return out;
  }

  private static void putInts(byte[] out, int at, int... values) {
    for (int v : values) {
      out[at] = (byte) v;
      out[at + 1] = (byte) (v >>> 8);
      out[at + 2] = (byte) (v >>> 16);
      out[at + 3] = (byte) (v >>> 24);
      at += 4;
    }
  }
}
