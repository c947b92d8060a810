package io.github.bpfmaps.runtime.fuzz;

import io.github.bpfmaps.errors.BpfException;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;

/**
 * The property every fuzz test checks: reading untrusted bytes ends in a result or in a {@link
 * BpfException} whose message names the input, never in another exception, an error such as
 * {@link StackOverflowError}, or an allocation out of proportion to the input.
 *
 * <p>A {@code BpfException} whose cause is some other exception also fails: that is {@code
 * ObjectParser}'s safety net catching what a check should have caught, and its message cannot
 * name the section at fault.
 */
final class ParseProperty {
  /** Inputs longer than this are skipped: they only slow the fuzzer down. */
  static final int MAX_INPUT = 1 << 17;

  /**
   * What reading may allocate regardless of the input's size. The largest fixed cost is a {@code
   * .bss} section materialised as zeros ({@code ObjectParser.MAX_ZERO_SECTION}, 16 MiB), which the
   * object keeps once and hands out copies of.
   */
  static final long FIXED_ALLOCATION = 40L << 20;

  /** What reading may allocate per input byte on top of {@link #FIXED_ALLOCATION}. */
  static final long ALLOCATION_PER_BYTE = 2048;

  private ParseProperty() {}

  /** The body of a fuzz test: reads the input and, on success, looks at what was read. */
  interface Reader {
    void read();
  }

  /**
   * Runs {@code reader} and fails unless it returns, or throws a {@link BpfException} with a
   * message containing {@code label}, without allocating more than the input justifies.
   *
   * <p>Per-input time: when fuzzing, libFuzzer's {@code -timeout} (set by the build and {@code
   * scripts/fuzz.sh}) ends a run that hangs; in regression mode each input gets {@link #TIME_LIMIT}
   * here. (JUnit's {@code @Timeout} would also cut the whole fuzzing run short.)
   */
  static void check(byte[] input, String label, Reader reader) {
    if (input.length > MAX_INPUT) {
      return;
    }
    long limit = FIXED_ALLOCATION + ALLOCATION_PER_BYTE * input.length;
    long allocated = FUZZING ? readOnce(label, reader) : readOnceWithin(TIME_LIMIT, label, reader);
    if (allocated > limit) {
      // The first read in a JVM also pays for loading (and, when fuzzing, instrumenting) classes
      // on this thread; only a second read's allocation is the parser's own.
      allocated = readOnce(label, reader);
    }
    if (allocated > limit) {
      throw new AssertionError("reading " + input.length + " bytes allocated " + allocated
          + " bytes, more than the " + limit + " allowed");
    }
  }

  /** Per-input time limit in regression mode. */
  static final Duration TIME_LIMIT = Duration.ofSeconds(10);

  private static final boolean FUZZING = !System.getenv().getOrDefault("JAZZER_FUZZ", "").isEmpty();

  private static long readOnceWithin(Duration limit, String label, Reader reader) {
    return Assertions.assertTimeoutPreemptively(limit, () -> readOnce(label, reader),
        "reading one input took longer than " + limit);
  }

  /** Reads once, checks how it ended, and returns the bytes this thread allocated meanwhile. */
  private static long readOnce(String label, Reader reader) {
    long before = Budget.allocated();
    try {
      reader.read();
    } catch (BpfException e) {
      String message = e.getMessage();
      if (message == null || message.isBlank()) {
        throw new AssertionError("a " + e.getClass().getSimpleName() + " without a message", e);
      }
      if (!message.contains(label)) {
        throw new AssertionError("the message does not name the input '" + label + "': " + message, e);
      }
      Throwable cause = e.getCause();
      if (cause != null && !(cause instanceof BpfException)) {
        throw new AssertionError("the parser's safety net caught " + cause + "; a check is missing", e);
      }
    }
    return Budget.allocated() - before;
  }
}
