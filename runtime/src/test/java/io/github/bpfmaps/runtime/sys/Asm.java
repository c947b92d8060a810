package io.github.bpfmaps.runtime.sys;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A tiny BPF assembler for tests: {@code struct bpf_insn} encodings from {@code include/uapi/linux/bpf.h}. */
public final class Asm {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Asm insn(int code, int dst, int src, int off, int imm) {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) code).put((byte) ((src << 4) | dst)).putShort((short) off).putInt(imm);
    out.writeBytes(b.array());
    return this;
  }

  /** {@code dst = imm} (BPF_ALU64 | BPF_MOV | BPF_K). */
  public Asm movImm(int dst, int imm) {
    return insn(0xb7, dst, 0, 0, imm);
  }

  /** {@code (u32) dst = imm}, upper half zeroed (BPF_ALU | BPF_MOV | BPF_K). */
  public Asm mov32Imm(int dst, int imm) {
    return insn(0xb4, dst, 0, 0, imm);
  }

  /** {@code dst = src} (BPF_ALU64 | BPF_MOV | BPF_X). */
  public Asm movReg(int dst, int src) {
    return insn(0xbf, dst, src, 0, 0);
  }

  /** {@code dst += imm} (BPF_ALU64 | BPF_ADD | BPF_K). */
  public Asm addImm(int dst, int imm) {
    return insn(0x07, dst, 0, 0, imm);
  }

  /** {@code *(u64 *)(dst + off) = src} (BPF_STX | BPF_MEM | BPF_DW). */
  public Asm stxDw(int dst, int off, int src) {
    return insn(0x7b, dst, src, off, 0);
  }

  /** {@code dst = map fd} as a 64-bit immediate with {@code BPF_PSEUDO_MAP_FD} (two slots). */
  public Asm ldMapFd(int dst, int fd) {
    insn(0x18, dst, 1, 0, fd);
    return insn(0, 0, 0, 0, 0);
  }

  /**
   * {@code dst = &value[0] + off} of an ARRAY map as a 64-bit immediate with {@code
   * BPF_PSEUDO_MAP_VALUE} (two slots; the second's imm is the offset into value 0).
   */
  public Asm ldMapValue(int dst, int fd, int off) {
    insn(0x18, dst, 2, 0, fd);
    return insn(0, 0, 0, 0, off);
  }

  /**
   * {@code lock *(u64 *)(dst + off) += src} (BPF_STX | BPF_ATOMIC | BPF_DW, imm BPF_ADD): what
   * clang emits for {@code __sync_fetch_and_add} whose result is unused.
   */
  public Asm atomicAddDw(int dst, int off, int src) {
    return insn(0xdb, dst, src, off, 0);
  }

  /** {@code call helper}. */
  public Asm call(int helper) {
    return insn(0x85, 0, 0, 0, helper);
  }

  /** {@code exit}. */
  public Asm exit() {
    return insn(0x95, 0, 0, 0, 0);
  }

  public byte[] bytes() {
    return out.toByteArray();
  }
}
