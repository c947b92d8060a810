package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

/**
 * A record read from a ring buffer (or another event stream) that could not be decoded: shorter
 * than its value type, or refused by its codec (an enum number no constant has, for example).
 *
 * <p>The rule for every reader of records: an undecodable record is skipped (the consumer moves
 * past it, it is never delivered and never read again), the records after it are delivered as
 * usual, and when the batch is done this exception is thrown for the first undecodable record of
 * the batch; any further ones are attached as {@linkplain #getSuppressed() suppressed} exceptions
 * (the first few of them) and counted in {@link #skipped()}. Its message names the ring buffer, the
 * record's position and length, and why it did not decode; the codec's own exception, if any, is
 * the {@linkplain #getCause() cause}.
 */
public class BpfRecordException extends BpfValueException {
  private static final long serialVersionUID = 1L;

  private final long position;
  private final int length;
  private final int delivered;
  private final int skipped;

  /**
   * @param source the ring buffer or event stream, by map name
   * @param position the record's position (the consumer position at its header, in bytes since
   *     the ring was created)
   * @param length the record's length in bytes (without its header)
   * @param reason why it does not decode
   * @param cause the codec's exception, if it threw one
   * @param delivered how many records the same call delivered
   * @param skipped how many undecodable records the same call skipped, this one included
   */
  public BpfRecordException(String source, long position, int length, String reason,
      @Nullable Throwable cause, int delivered, int skipped) {
    this(source, position, length, reason, cause, delivered, skipped, " (" + delivered + " record"
        + (delivered == 1 ? "" : "s") + " delivered in the same call"
        + (skipped > 1 ? ", " + skipped + " undecodable records skipped in all" : "") + ")");
  }

  /**
   * One further skipped record of a call, suppressed in the call's exception: without the totals.
   *
   * @param source the ring buffer or event stream, by map name
   * @param position the record's position
   * @param length the record's length in bytes (without its header)
   * @param reason why it does not decode
   * @param cause the codec's exception, if it threw one
   */
  public BpfRecordException(String source, long position, int length, String reason, @Nullable Throwable cause) {
    this(source, position, length, reason, cause, 0, 1, "");
  }

  private BpfRecordException(String source, long position, int length, String reason,
      @Nullable Throwable cause, int delivered, int skipped, String totals) {
    super("RINGBUF read", source, "ring buffer '" + source + "': the " + length + "-byte record at position "
        + position + " does not decode and was skipped: " + reason + totals, cause);
    this.position = position;
    this.length = length;
    this.delivered = delivered;
    this.skipped = skipped;
  }

  /** The skipped record's position (the consumer position at its header). */
  public long position() {
    return position;
  }

  /** The skipped record's length in bytes, without its header. */
  public int length() {
    return length;
  }

  /** How many records the same call delivered (before and after the skipped ones). */
  public int delivered() {
    return delivered;
  }

  /** How many undecodable records the same call skipped (at least 1). */
  public int skipped() {
    return skipped;
  }
}
