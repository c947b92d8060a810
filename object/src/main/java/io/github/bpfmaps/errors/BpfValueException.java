package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

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

  /**
   * @param operation the operation that was refused
   * @param map the map concerned
   * @param message what is wrong
   * @param cause the underlying error, if any
   */
  protected BpfValueException(String operation, String map, String message, @Nullable Throwable cause) {
    super(operation, map, 0, message, cause);
  }

  /**
   * This error, said of the {@code part} ({@code "key"}, {@code "value"}) of map {@code map}: the
   * handles call it, so that a codec's message, which knows the field but not the map (a raw
   * {@code Codecs.bytes(n)} does not even know whether it is the key), reaches the caller with
   * both. Returns this exception unchanged if it already names a map.
   */
  public BpfValueException of(String map, String part) {
    if (target() != null) {
      return this;
    }
    return new BpfValueException(operation(), map, part + " of map '" + map + "': " + getMessage(), this);
  }
}
