package io.github.bpfmaps.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the few commands the samples need ({@code ip}, {@code ping}), bounded in time. */
final class Shell {
  private Shell() {}

  /** What a command printed (stdout and stderr together) and its exit status (-1 if it could not run). */
  record Result(int status, String output) {
    boolean ok() {
      return status == 0;
    }
  }

  /** Runs {@code cmd}, waiting at most 60 s. */
  static Result run(String... cmd) {
    try {
      Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out + "(timed out)");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** Runs {@code cmd} and throws with its output if it fails. */
  static String must(String... cmd) {
    Result r = run(cmd);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.status() + "): " + r.output().trim());
    }
    return r.output();
  }
}
