package io.github.bpfmaps.elf;

/**
 * Reading and patching 8-byte BPF instructions in place ({@code struct bpf_insn}: opcode, dst/src
 * register nibbles, 16-bit offset, 32-bit immediate; {@code include/uapi/linux/bpf.h}). Little-endian
 * layout, so the source register is the high nibble of byte 1.
 */
final class Insn {
  private Insn() {}

  static final int SIZE = 8;
  /** {@code BPF_LD | BPF_IMM | BPF_DW}: the first half of a 16-byte 64-bit immediate load. */
  static final int LD_IMM64 = 0x18;
  /** {@code BPF_JMP | BPF_CALL}. */
  static final int CALL = 0x85;

  static final int PSEUDO_MAP_FD = 1;
  static final int PSEUDO_MAP_VALUE = 2;
  static final int PSEUDO_CALL = 1;
  static final int PSEUDO_FUNC = 4;
  static final int PSEUDO_MAP_IDX = 5;
  static final int PSEUDO_MAP_IDX_VALUE = 6;
  /** ld_imm64 src_reg: imm is a kernel BTF id (a typed {@code __ksym}), insn[1].imm its BTF object fd. */
  static final int PSEUDO_BTF_ID = 3;
  /** call src_reg: imm is a kernel function's BTF id, off an index into {@code fd_array} (0 = vmlinux). */
  static final int PSEUDO_KFUNC_CALL = 2;

  /** Sets the 16-bit {@code off} field. */
  static void setOff(byte[] code, int insn, int off) {
    code[insn * SIZE + 2] = (byte) off;
    code[insn * SIZE + 3] = (byte) (off >>> 8);
  }

  /** Sets {@code dst_reg} and {@code src_reg} to 0. */
  static void clearRegs(byte[] code, int insn) {
    code[insn * SIZE + 1] = 0;
  }

  static int opcode(byte[] code, int insn) {
    return code[insn * SIZE] & 0xff;
  }

  static int srcReg(byte[] code, int insn) {
    return (code[insn * SIZE + 1] & 0xf0) >>> 4;
  }

  static void setSrcReg(byte[] code, int insn, int reg) {
    int p = insn * SIZE + 1;
    code[p] = (byte) ((code[p] & 0x0f) | reg << 4);
  }

  static int imm(byte[] code, int insn) {
    int p = insn * SIZE + 4;
    return (code[p] & 0xff) | (code[p + 1] & 0xff) << 8 | (code[p + 2] & 0xff) << 16 | (code[p + 3] & 0xff) << 24;
  }

  static void setImm(byte[] code, int insn, int value) {
    int p = insn * SIZE + 4;
    code[p] = (byte) value;
    code[p + 1] = (byte) (value >>> 8);
    code[p + 2] = (byte) (value >>> 16);
    code[p + 3] = (byte) (value >>> 24);
  }
}
