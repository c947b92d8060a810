package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

/**
 * The root of every error the runtime throws. Unchecked. Carries the operation that failed (a
 * command such as {@code BPF_MAP_UPDATE_ELEM}, or {@code encode}, {@code open}), the object or map it
 * concerned, and the errno when the kernel refused ({@code 0} otherwise).
 */
public class BpfException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final @Nullable String target;
  private final int errno;

  /**
   * @param operation what was being done
   * @param target the map, program, object or file concerned, if any
   * @param errno the kernel's errno, or 0
   * @param message what went wrong and, where we know it, how to fix it
   */
  public BpfException(String operation, @Nullable String target, int errno, String message) {
    this(operation, target, errno, message, null);
  }

  public BpfException(
      String operation, @Nullable String target, int errno, String message, @Nullable Throwable cause) {
    // Not super(message, cause): a null cause given there is final, and withCause could not add one.
    super(message);
    if (cause != null) {
      initCause(cause);
    }
    this.operation = operation;
    this.target = target;
    this.errno = errno;
  }

  /**
   * Returns {@code rewrapped} with {@code cause} as its cause: for the places that re-throw a
   * system call's exception with the map's or program's name, so the original (its stack, its
   * errno's first wording) stays in the chain. No system call.
   */
  public static <E extends BpfException> E withCause(E rewrapped, Throwable cause) {
    rewrapped.initCause(cause);
    return rewrapped;
  }

  /** The operation that failed. */
  public String operation() {
    return operation;
  }

  /** The map, program, object or file concerned, or null. */
  public @Nullable String target() {
    return target;
  }

  /** The kernel's errno, or 0 when the error was found before any system call. */
  public int errno() {
    return errno;
  }
}
