package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.errors.BpfRecordException;
import org.jspecify.annotations.Nullable;

/**
 * The records of one read call that did not decode, for the rule every record reader follows (see
 * {@link BpfRecordException}): skip each, deliver the rest, throw for the first when the call is
 * done. Allocated only when a record fails, so a clean read allocates nothing for it.
 */
final class UndecodableRecords {
  /** How many further failures are kept as suppressed exceptions; the rest are only counted. */
  static final int MAX_SUPPRESSED = 8;

  private final String source;
  private final long position;
  private final int length;
  private final String reason;
  private final @Nullable Throwable cause;
  private final BpfRecordException[] more = new BpfRecordException[MAX_SUPPRESSED];
  private int skipped = 1;

  private UndecodableRecords(String source, long position, int length, String reason, @Nullable Throwable cause) {
    this.source = source;
    this.position = position;
    this.length = length;
    this.reason = reason;
    this.cause = cause;
  }

  /**
   * Adds a skipped record to {@code failures} (null for the first of a call) and returns the
   * collection.
   *
   * @param source the ring buffer's map name
   * @param position the record's position (the consumer position at its header)
   * @param length the record's length without its header
   * @param reason why it does not decode
   * @param cause the codec's exception, if any
   */
  static UndecodableRecords add(@Nullable UndecodableRecords failures, String source, long position,
      int length, String reason, @Nullable Throwable cause) {
    if (failures == null) {
      return new UndecodableRecords(source, position, length, reason, cause);
    }
    if (failures.skipped - 1 < MAX_SUPPRESSED) {
      failures.more[failures.skipped - 1] = new BpfRecordException(source, position, length, reason, cause);
    }
    failures.skipped++;
    return failures;
  }

  /** The exception for the first skipped record, with the others suppressed in it. */
  BpfRecordException exception(int delivered) {
    BpfRecordException e = new BpfRecordException(source, position, length, reason, cause, delivered, skipped);
    for (BpfRecordException m : more) {
      if (m != null) {
        e.addSuppressed(m);
      }
    }
    return e;
  }

  /** Why a record of {@code length} bytes cannot be a value of {@code size} bytes. */
  static String tooShort(int length, int size) {
    return "shorter than the " + size + " bytes of its value type";
  }
}
