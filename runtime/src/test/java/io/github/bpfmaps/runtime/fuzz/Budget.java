package io.github.bpfmaps.runtime.fuzz;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** What reading one untrusted input may cost: wall time and this thread's allocation. */
final class Budget {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Budget() {}

  /** The bytes the current thread has allocated so far. */
  static long allocated() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /**
   * Runs {@code read} (on another thread, so a hang ends after {@code time}) and returns its result,
   * failing if it took longer or allocated more than {@code bytes}.
   */
  static <T> T within(Duration time, long bytes, ThrowingSupplier<T> read) {
    return assertTimeoutPreemptively(time, () -> {
      long before = allocated();
      T result = read.get();
      long used = allocated() - before;
      if (used > bytes) {
        throw new AssertionError("allocated " + used + " bytes, more than the " + bytes + " allowed");
      }
      return result;
    }, "took longer than " + time);
  }
}
