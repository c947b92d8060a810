package io.github.bpfmaps.runtime;

/**
 * A value that does not fit its C layout, found before any system call: a wrong-size byte array, a
 * null, a string longer than its {@code @Size}, an array of the wrong length, an unsigned value out of
 * range, an enum number that no constant has.
 */
public class BpfValueException extends BpfException {
  private static final long serialVersionUID = 1L;

  /**
   * @param operation {@code encode} or {@code decode}, or the map operation that was refused
   * @param message what is wrong, naming the record component
   */
  public BpfValueException(String operation, String message) {
    super(operation, null, 0, message);
  }
}
