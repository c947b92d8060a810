package io.github.bpfmaps.elf;

/**
 * How the loader resolved an {@link Extern} against the running kernel; {@link ProgramLinker}
 * patches each instruction that refers to the extern accordingly (the rules of libbpf's {@code
 * bpf_object__relocate_data} for {@code RELO_EXTERN_LD64} and {@code RELO_EXTERN_CALL}).
 */
public sealed interface ExternValue {
  /** A {@code __kconfig} value: {@code ld_imm64} of the address {@code offset} in the kconfig map. */
  record KconfigSlot(String map, int offset) implements ExternValue {}

  /**
   * A typed {@code __ksym} or a kfunc, by its id in the kernel's BTF: {@code ld_imm64} with {@code
   * BPF_PSEUDO_BTF_ID} (and the module's BTF fd in the second half), or a call with {@code
   * BPF_PSEUDO_KFUNC_CALL} (and the module BTF's index in {@code fd_array} as {@code off}).
   *
   * @param btfObjFd the module BTF's fd, 0 for vmlinux
   * @param fdArrayIndex the module BTF's index in {@code fd_array}, 0 for vmlinux
   */
  record BtfId(int id, int btfObjFd, int fdArrayIndex) implements ExternValue {}

  /** A typeless {@code __ksym}: {@code ld_imm64} of its address from {@code /proc/kallsyms}. */
  record Address(long address) implements ExternValue {}

  /**
   * A {@code __weak} extern the kernel lacks: {@code ld_imm64} of 0, so {@code bpf_ksym_exists()}
   * is false; a call becomes an invalid helper call the verifier refuses only if it is reachable.
   */
  record Absent() implements ExternValue {}
}
