package io.github.bpfmaps.samples;

import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.Bpf;
import java.io.PrintStream;
import java.util.function.IntSupplier;

/**
 * What every sample does around its body: check first that this process may use {@code bpf(2)}
 * (and say which permission is missing if not), then run, turning a {@link BpfException} into one
 * line on {@code err} and exit status 1.
 */
final class SampleRun {
  private SampleRun() {}

  /**
   * Runs {@code body} and returns its exit status, or 1 (after a message on {@code err} naming
   * {@code sample}) when {@code bpf(2)} is denied or the body throws a {@link BpfException}.
   */
  static int guarded(String sample, PrintStream err, IntSupplier body) {
    if (!Bpf.available()) {
      err.println(sample + " needs bpf(2), which this process may not use: " + Bpf.unavailableReason());
      return 1;
    }
    try {
      return body.getAsInt();
    } catch (BpfException e) {
      err.println(sample + ": " + e.getMessage());
      return 1;
    }
  }
}
