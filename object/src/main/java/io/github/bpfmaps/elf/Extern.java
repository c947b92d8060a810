package io.github.bpfmaps.elf;

/**
 * An undefined symbol of an object that the loader must resolve against the running kernel, as
 * libbpf does ({@code libbpf.c}, {@code bpf_object__collect_externs}): a {@code __kconfig} value, a
 * {@code __ksym} variable or a kfunc. Read from the symbol table and the object's BTF.
 *
 * @param name the symbol, e.g. {@code CONFIG_HZ} or {@code bpf_rcu_read_lock}
 * @param kind what it is
 * @param weak declared {@code __weak}: an extern the kernel lacks resolves to zero instead of failing
 * @param btfId the extern's VAR or FUNC in the object's BTF; 0 if the object has no BTF for it
 * @param typeId the VAR's type in the object's BTF (0 for a typeless {@code __ksym}, {@code void})
 * @param kconfigType for {@link Kind#KCONFIG}: how the value is encoded
 * @param size for {@link Kind#KCONFIG}: bytes in the {@code .kconfig} map
 * @param align for {@link Kind#KCONFIG}: alignment in the {@code .kconfig} map
 * @param signed for an integer {@link Kind#KCONFIG}: whether it is signed
 * @param offset for {@link Kind#KCONFIG}: where the value lies in the {@code .kconfig} map
 */
public record Extern(
    String name,
    Kind kind,
    boolean weak,
    int btfId,
    int typeId,
    KconfigType kconfigType,
    int size,
    int align,
    boolean signed,
    int offset) {

  /** The section clang puts {@code __kconfig} externs in, and the name of libbpf's map for them. */
  public static final String KCONFIG_SECTION = ".kconfig";
  /** The section clang puts {@code __ksym} externs in. */
  public static final String KSYMS_SECTION = ".ksyms";

  /** What an extern stands for. */
  public enum Kind {
    /** {@code extern T CONFIG_X __kconfig}: a value of the kernel's configuration or version. */
    KCONFIG,
    /** {@code extern T sym __ksym}: a kernel variable, typed (a BTF id) or typeless (an address). */
    KSYM,
    /** {@code extern R f(args) __ksym}: a kernel function the program calls (kfunc). */
    KFUNC,
    /** An undefined symbol without BTF that says which of the above it is. */
    UNKNOWN
  }

  /** How a {@code __kconfig} value is stored ({@code enum kcfg_type} in libbpf). */
  public enum KconfigType {
    /** Not a kconfig extern, or a type libbpf does not support. */
    NONE,
    /** A 1-byte integer ({@code char}): {@code 'y'}, {@code 'm'} or {@code 'n'}. */
    CHAR,
    /** {@code bool}: y is true; n or unset false. */
    BOOL,
    /** An integer of 1, 2, 4 or 8 bytes. */
    INT,
    /** {@code enum libbpf_tristate}: n = 0, y = 1, m = 2. */
    TRISTATE,
    /** {@code char[N]}: a string value, NUL-terminated, cut to fit. */
    CHAR_ARRAY
  }

  /** True for a {@code __ksym} variable declared with a type (resolved by BTF id, not address). */
  public boolean typed() {
    return typeId != 0;
  }
}
