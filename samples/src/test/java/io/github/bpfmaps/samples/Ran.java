package io.github.bpfmaps.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What a sample's {@code run} returned and printed, for tests to assert on. */
record Ran(int status, String out, String err) {
  /** Runs {@code body} in this JVM with {@code args}, capturing both streams. */
  static Ran run(Samples.Body body, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = body.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The lines printed to {@code out}. */
  List<String> lines() {
    return out.lines().toList();
  }

  /** Both streams and the status, as an assertion message. */
  @Override
  public String toString() {
    return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
  }
}
