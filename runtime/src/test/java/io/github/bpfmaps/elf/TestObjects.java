package io.github.bpfmaps.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The committed BPF objects and small helpers for tests that read them. */
public final class TestObjects {
  private TestObjects() {}

  /** The repository root: the first ancestor of the working directory holding {@code scripts/build-bpf.sh}. */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("scripts/build-bpf.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** A sample object, e.g. {@code sample("xdp_counter")}. */
  public static Path sample(String name) {
    return repoRoot().resolve("samples/src/main/bpf/" + name + ".bpf.o");
  }

  /** A test-only object, e.g. {@code testObject("btf_kinds")}. */
  public static Path testObject(String name) {
    return repoRoot().resolve("runtime/src/test/bpf/" + name + ".bpf.o");
  }

  public static byte[] bytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every committed {@code *.bpf.o}, sorted. */
  public static List<Path> allObjects() {
    List<Path> out = new ArrayList<>();
    for (String dir : List.of("samples/src/main/bpf", "runtime/src/test/bpf")) {
      try (var s = Files.list(repoRoot().resolve(dir))) {
        s.filter(f -> f.getFileName().toString().endsWith(".bpf.o")).sorted().forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The result of running a command. */
  public record Run(int exit, String out, String err) {}

  /** Runs a command with a timeout; exit -1 if it could not start. */
  public static Run run(Path dir, String... command) {
    try {
      Path outFile = Files.createTempFile("run", ".out");
      Path errFile = Files.createTempFile("run", ".err");
      try {
        Process p = new ProcessBuilder(command).directory(dir.toFile())
            .redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new Run(-1, "", "timed out");
        }
        return new Run(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
      } finally {
        Files.deleteIfExists(outFile);
        Files.deleteIfExists(errFile);
      }
    } catch (IOException e) {
      return new Run(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, "", e.toString());
    }
  }

  /** True when {@code tool} runs (exit status 0 for {@code tool args}). */
  public static boolean available(String... command) {
    return run(Path.of("."), command).exit() == 0;
  }
}
