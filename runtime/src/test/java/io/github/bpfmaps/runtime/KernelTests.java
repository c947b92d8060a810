package io.github.bpfmaps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Shared test support: skipping without bpf(2), bpftool as the oracle, pin dirs, fd counts. */
public final class KernelTests {
  private KernelTests() {}

  /** Skips the calling test with the reason when bpf(2) cannot be used. */
  public static void needBpf() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
  }

  /** Skips unless bpftool runs. */
  public static void needBpftool() {
    needBpf();
    boolean ok;
    try {
      ok = new ProcessBuilder("bpftool", "version").redirectErrorStream(true).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      ok = false;
    }
    assumeTrue(ok, "bpftool not installed");
  }

  /** A fresh directory on bpffs; delete it with {@link #deleteTree}. */
  public static Path pinDir() {
    Path root = Path.of("/sys/fs/bpf");
    assumeTrue(Files.isDirectory(root), "bpffs not mounted at /sys/fs/bpf");
    try {
      return Files.createDirectory(root.resolve("bpfmaps-test-" + UUID.randomUUID().toString().substring(0, 8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a pin directory and everything pinned in it. */
  public static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs bpftool with the arguments and returns its stdout; fails the test on a non-zero exit. */
  public static String bpftool(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("bpftool");
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(true, p.waitFor(30, TimeUnit.SECONDS), "bpftool timed out");
      assertEquals(0, p.exitValue(), "bpftool " + String.join(" ", args) + " failed: " + out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code bpftool -j ...} parsed. */
  public static Object bpftoolJson(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "-j";
    System.arraycopy(args, 0, all, 1, args.length);
    return Json.parse(bpftool(all));
  }

  /** A bpftool byte array {@code ["0x01", ...]} as bytes. */
  public static byte[] hexBytes(Object jsonArray) {
    List<?> l = (List<?>) jsonArray;
    byte[] b = new byte[l.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(((String) l.get(i)).substring(2), 16);
    }
    return b;
  }

  /** All open fds of this process; for bulk leak checks with a tolerance (see {@link #runtimeFds()}). */
  public static long openFdCount() {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * This process's anonymous-inode fds, the kind the runtime opens (BPF maps, programs and BTF,
   * epoll), as {@code "fd -> anon_inode:bpf-map map_id: 12"}: with the kernel id, so that a new map
   * that got a freed fd's number is told apart from the old one. Leak checks compare these sets
   * rather than counting all fds: a count also moves when the JVM opens a jar, or when the garbage
   * collector lets a Cleaner close another test's unreachable handle mid-test.
   */
  public static Set<String> runtimeFds() {
    Set<String> fds = new TreeSet<>();
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : s.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("anon_inode:")) {
            String id = Files.readAllLines(Path.of("/proc/self/fdinfo").resolve(fd.getFileName())).stream()
                .filter(l -> l.startsWith("map_id:") || l.startsWith("prog_id:") || l.startsWith("btf_id:"))
                .findFirst().orElse("").replaceAll("\\s+", " ");
            fds.add(fd.getFileName() + " -> " + target + " " + id);
          }
        } catch (IOException closedMeanwhile) {
          // the directory stream's own fd, or one closed while listing
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fds;
  }

  /** The runtime fds opened since {@code before} (a {@link #runtimeFds()} listing) and still open. */
  public static Set<String> newFdsSince(Set<String> before) {
    Set<String> now = runtimeFds();
    now.removeAll(before);
    return now;
  }

  /** A minimal JSON reader for bpftool's output: objects, arrays, strings, numbers, literals. */
  public static final class Json {
    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    public static Object parse(String text) {
      Json j = new Json(text);
      Object v = j.value();
      j.ws();
      if (j.i != j.s.length()) {
        throw new IllegalArgumentException("trailing JSON at " + j.i);
      }
      return v;
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private Object value() {
      ws();
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        for (;;) {
          ws();
          String k = string();
          ws();
          i++; // ':'
          m.put(k, value());
          ws();
          if (s.charAt(i++) == '}') {
            return m;
          }
        }
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        for (;;) {
          l.add(value());
          ws();
          if (s.charAt(i++) == ']') {
            return l;
          }
        }
      }
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return true;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return false;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      return Long.parseLong(s.substring(start, i));
    }

    private String string() {
      StringBuilder b = new StringBuilder();
      i++; // opening quote
      for (;;) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n': b.append('\n'); break;
            case 't': b.append('\t'); break;
            case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
            default: b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }
  }
}
