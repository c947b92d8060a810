package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

/**
 * A compiled BPF object that cannot be read: truncated, not an ELF file for {@code EM_BPF}, or
 * with inconsistent sections, symbols, relocations or BTF. The message names the file, the section
 * and, for BTF, the type id. Thrown before any system call, so {@link #errno()} is 0.
 */
public class BpfObjectFormatException extends BpfException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String section;

  /**
   * @param file the object file (or another label for the bytes, such as {@code "<btf>"})
   * @param section the ELF section concerned, or null when the problem is in the ELF header
   * @param message what is wrong
   */
  public BpfObjectFormatException(String file, @Nullable String section, String message) {
    this(file, section, message, null);
  }

  /** As {@link #BpfObjectFormatException(String, String, String)}, with the error that revealed it. */
  public BpfObjectFormatException(
      String file, @Nullable String section, String message, @Nullable Throwable cause) {
    super("open", file, 0, describe(file, section, message), cause);
    this.section = section;
  }

  /** The ELF section the problem was found in, or null. */
  public @Nullable String section() {
    return section;
  }

  private static String describe(String file, @Nullable String section, String message) {
    return section == null ? file + ": " + message : file + ": section '" + section + "': " + message;
  }
}
