package io.github.bpfmaps.errors;

/**
 * An operation on a map handle, {@link MapFd} or {@link BpfProgram} that was already closed. Thrown
 * before any system call, so a closed handle never passes its old (possibly reused) fd number to
 * the kernel.
 */
public class BpfClosedException extends BpfException {
  private static final long serialVersionUID = 1L;

  /**
   * @param operation what was attempted
   * @param target the map's or program's name
   */
  public BpfClosedException(String operation, String target) {
    super(operation, target, 0, operation + " on '" + target + "': the handle is closed");
  }
}
