package io.github.bpfmaps.runtime.sys;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The fields of {@code BPF_PROG_LOAD} ({@code union bpf_attr}, anonymous struct of {@code
 * BPF_PROG_LOAD}, {@code include/uapi/linux/bpf.h}) that a loader sets, as a mutable builder. Give it
 * to {@link BpfSys#progLoad(ProgLoad)}. Not thread-safe; build one per load.
 */
public final class ProgLoad {
  int type;
  byte[] insns = new byte[0];
  String license = "GPL";
  String name = "";
  int expectedAttachType;
  int progFlags;
  int kernVersion;
  int btfFd;
  byte @Nullable [] funcInfo;
  int funcInfoRecSize;
  byte @Nullable [] lineInfo;
  int lineInfoRecSize;
  int attachBtfId;
  int attachFd;
  int @Nullable [] fdArray;
  byte @Nullable [] coreRelos;
  int coreReloRecSize;
  int logLevel;
  int logSize = 1 << 20;
  String log = "";

  /** The program type ({@code enum bpf_prog_type}: 6 is {@code BPF_PROG_TYPE_XDP}). */
  public ProgLoad type(int type) {
    this.type = type;
    return this;
  }

  /** The instructions, 8 bytes each ({@code struct bpf_insn}), in host byte order, relocated. */
  public ProgLoad insns(byte[] insns) {
    if (insns.length == 0 || insns.length % 8 != 0) {
      throw new IllegalArgumentException("instructions must be a non-empty multiple of 8 bytes, got " + insns.length);
    }
    this.insns = insns.clone();
    return this;
  }

  /** The license string; GPL-only helpers need a GPL-compatible one. Default {@code GPL}. */
  public ProgLoad license(String license) {
    this.license = Objects.requireNonNull(license);
    return this;
  }

  /** The program's name (sanitized and cut to 15 bytes, as {@link BpfSys#objName}). */
  public ProgLoad name(String name) {
    this.name = Objects.requireNonNull(name);
    return this;
  }

  /** {@code expected_attach_type} ({@code enum bpf_attach_type}). */
  public ProgLoad expectedAttachType(int type) {
    this.expectedAttachType = type;
    return this;
  }

  /** {@code prog_flags} ({@code BPF_F_STRICT_ALIGNMENT}, {@code BPF_F_SLEEPABLE}, …). */
  public ProgLoad flags(int flags) {
    this.progFlags = flags;
    return this;
  }

  /** {@code kern_version}, checked only for old kprobe programs. */
  public ProgLoad kernVersion(int version) {
    this.kernVersion = version;
    return this;
  }

  /** {@code prog_btf_fd}: the object's BTF, loaded with {@link BpfSys#btfLoad}. */
  public ProgLoad btfFd(int fd) {
    this.btfFd = fd;
    return this;
  }

  /** {@code func_info} records ({@code struct bpf_func_info}) and their size. */
  public ProgLoad funcInfo(byte[] records, int recordSize) {
    this.funcInfo = records.clone();
    this.funcInfoRecSize = recordSize;
    return this;
  }

  /** {@code line_info} records ({@code struct bpf_line_info}) and their size. */
  public ProgLoad lineInfo(byte[] records, int recordSize) {
    this.lineInfo = records.clone();
    this.lineInfoRecSize = recordSize;
    return this;
  }

  /** {@code attach_btf_id} (tracing, LSM, struct_ops programs). */
  public ProgLoad attachBtfId(int id) {
    this.attachBtfId = id;
    return this;
  }

  /** {@code attach_prog_fd} / {@code attach_btf_obj_fd}. */
  public ProgLoad attachFd(int fd) {
    this.attachFd = fd;
    return this;
  }

  /** {@code fd_array}: map fds referenced by index ({@code BPF_PSEUDO_MAP_IDX}). */
  public ProgLoad fdArray(int[] fds) {
    this.fdArray = fds.clone();
    return this;
  }

  /**
   * {@code core_relos} records ({@code struct bpf_core_relo}, {@code insn_off} in bytes) and their
   * size: the kernel (5.17+) applies these CO-RE relocations against its own BTF, given the object's
   * BTF as {@link #btfFd(int)}.
   */
  public ProgLoad coreRelos(byte[] records, int recordSize) {
    this.coreRelos = records.clone();
    this.coreReloRecSize = recordSize;
    return this;
  }

  /**
   * The verifier log level for the first attempt: 0 (default) loads without a log and, on failure,
   * loads again with level 1 to get one; 1 or 2 asks for it at once.
   */
  public ProgLoad logLevel(int level) {
    this.logLevel = level;
    return this;
  }

  /** The verifier log buffer's size in bytes; default 1 MiB. */
  public ProgLoad logSize(int bytes) {
    if (bytes < 128) {
      throw new IllegalArgumentException("log size must be at least 128 bytes");
    }
    this.logSize = bytes;
    return this;
  }

  /**
   * The verifier log of the last {@link BpfSys#progLoad} with this request: with {@link
   * #logLevel(int)} above 0 also after a successful load (the verifier's statistics), otherwise only
   * after a refusal; empty if none was asked for.
   */
  public String log() {
    return log;
  }

  /** The program's name as given. */
  public String name() {
    return name;
  }
}
