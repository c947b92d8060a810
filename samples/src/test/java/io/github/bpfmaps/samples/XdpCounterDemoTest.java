package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class XdpCounterDemoTest {
  @Test
  void theDemoPrintsTheTypedXdpStatsTable() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = XdpCounterDemo.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.contains("sent 1514 bytes -> XDP_PASS"), printed);
    int bytes = 0;
    for (int size : XdpCounterDemo.SIZES) {
      bytes += size;
    }
    assertTrue(printed.matches("(?s).*\\nXDP_PASS +4 +" + bytes + "\\n.*"), printed);
    assertTrue(printed.matches("(?s).*\\nXDP_DROP +0 +0\\n.*"), printed);
  }

  @Test
  void withoutPrivilegeTheDemoSaysWhatIsMissingAndFails() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run a child as nobody");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
    // The classpath may sit in root's home, which nobody cannot read: copy it somewhere it can.
    Path copy = Files.createTempDirectory("bpfmaps-demo-cp");
    try {
      List<String> entries = new ArrayList<>();
      int i = 0;
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path from = Path.of(entry);
        if (!Files.exists(from)) {
          continue;
        }
        Path to = copy.resolve((i++) + "-" + from.getFileName());
        copyTree(from, to);
        entries.add(to.toString());
      }
      setReadable(copy);
      Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", String.join(File.pathSeparator, entries), XdpCounterDemo.class.getName())
          .directory(copy.toFile())
          .redirectErrorStream(true).start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "demo timed out");
      assertEquals(1, p.exitValue(), printed);
      assertTrue(printed.contains("xdp_counter needs bpf(2)"), printed);
      assertTrue(printed.contains("EPERM") && printed.contains("CAP_BPF"), printed);
    } finally {
      deleteTree(copy);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static void setReadable(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      for (Path p : s.toList()) {
        p.toFile().setReadable(true, false);
        if (Files.isDirectory(p)) {
          p.toFile().setExecutable(true, false);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
