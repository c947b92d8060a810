package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without privileges every operation fails with a message that names the operation and the map
 * (or path, or object) and says what to grant. The operations run in a child JVM as nobody with
 * every capability dropped ({@code setpriv}); the test itself needs root.
 */
class UnprivilegedTest {
  @Test
  void withoutCapabilitiesEveryOperationSaysWhatFailedOnWhatAndWhatToGrant() throws Exception {
    Run r = runAsNobody("--inh-caps=-all", "--bounding-set=-all");
    String out = r.out();
    assertEquals("false", r.lines().get("available")[1], out);
    assertTrue(r.lines().get("available")[2].contains("EPERM"), out);
    expect(r, "create", "BPF_MAP_CREATE", "rel_unpriv", "EPERM", "run as root or grant CAP_BPF");
    expect(r, "openPinned", "BPF_OBJ_GET", r.pin().toString(), "EACCES", "run as root or grant CAP_BPF");
    expect(r, "fromId", "BPF_MAP_GET_FD_BY_ID", "id " + r.id(), "EPERM", "needs CAP_SYS_ADMIN");
    String[] load = r.lines().get("load");
    assertEquals("BpfPermissionException", load[1], out);
    assertTrue(load[5].contains("xdp_counter.bpf.o"), "names the object: " + out);
    assertTrue(load[5].contains("run as root or grant CAP_BPF"), out);
  }

  @Test
  void withCapBpfAloneMapsWorkButByIdAndXdpLoadsSayWhichCapabilityIsStillMissing() throws Exception {
    Run r = runAsNobody("--inh-caps=-all,+bpf,+perfmon", "--ambient-caps=+bpf,+perfmon");
    String out = r.out();
    assertEquals("true", r.lines().get("available")[1], out);
    assertEquals("OK", r.lines().get("create")[1], out);
    // the pin is root's, mode 0600: CAP_BPF does not override file permissions
    expect(r, "openPinned", "BPF_OBJ_GET", r.pin().toString(), "EACCES", "file mode");
    expect(r, "fromId", "BPF_MAP_GET_FD_BY_ID", "id " + r.id(), "EPERM", "needs CAP_SYS_ADMIN, CAP_BPF is not enough");
    String[] load = r.lines().get("load");
    assertEquals("BPF_PROG_LOAD", load[2], out);
    assertTrue(load[3].startsWith("xdp_count (section xdp of ") && load[3].endsWith("xdp_counter.bpf.o)"), out);
    assertTrue(load[5].contains("CAP_NET_ADMIN for networking programs"), out);
  }

  /** What the child printed, by operation, and the pin and map id it was given. */
  private record Run(String out, Map<String, String[]> lines, Path pin, int id) {}

  /** Pins a map root owns, runs {@link UnprivilegedChild} as nobody with {@code caps}, cleans up. */
  private static Run runAsNobody(String... caps) throws Exception {
    needRootAndSetpriv();
    Path dir = KernelTests.pinDir();
    Path jars = Files.createTempDirectory("bpfmaps-unpriv-cp");
    try (MapFd map = MapFd.create(SPEC)) {
      Path pin = dir.resolve("rel_unpriv");
      map.pin(pin);
      int id = map.info().id();
      String out = runChild(jars, pin, id, caps);
      System.out.println(out);
      return new Run(out, parse(out), pin, id);
    } finally {
      KernelTests.deleteTree(dir);
      KernelTests.deleteTree(jars);
    }
  }

  private static final MapSpec SPEC = MapSpec.of("rel_unpriv", MapType.HASH, 4, 8, 16, 0);

  private static void needRootAndSetpriv() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to start a child as nobody");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is not installed");
  }

  private static String runChild(Path jars, Path pin, int id, String... caps) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
        "--clear-groups"));
    cmd.addAll(List.of(caps));
    cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", readableClasspath(jars), UnprivilegedChild.class.getName(),
        pin.toString(), Integer.toString(id), readableCopy(TestObjects.sample("xdp_counter"), jars).toString()));
    Process p = new ProcessBuilder(cmd).directory(jars.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child timed out");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static Map<String, String[]> parse(String out) {
    Map<String, String[]> lines = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("\\|", -1);
      lines.put(f[0], f);
    }
    return lines;
  }

  private static void expect(Run r, String name, String operation, String target, String errno, String advice) {
    String[] f = r.lines().get(name);
    assertTrue(f != null && f.length == 6, name + " missing: " + r.out());
    assertEquals("BpfPermissionException", f[1], r.out());
    assertEquals(operation, f[2], r.out());
    assertEquals(target, f[3], r.out());
    String message = f[5];
    assertTrue(message.startsWith(operation + " on '" + target + "'"), message);
    assertTrue(message.contains(errno + ": "), message);
    assertTrue(message.contains(advice), message);
  }

  /**
   * The test classpath as nobody can read it: every entry, class directories included, is copied
   * into {@code jars} (a fresh world-readable directory). Reading them in place is not enough: a
   * checkout in a 0700 directory (a home directory, {@code mktemp -d}) hides target/classes from
   * nobody, and so do root's Maven repository and the committed objects.
   */
  private static String readableClasspath(Path jars) throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path from = Path.of(entry);
      if (Files.exists(from)) {
        entries.add(readableCopy(from, jars).toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Copies a file or directory tree into {@code into} under a fresh name, readable by everyone. */
  private static Path readableCopy(Path from, Path into) throws IOException {
    makeReadable(into);
    Path to;
    try (var names = Files.list(into)) {
      to = into.resolve(names.count() + "-" + from.getFileName());
    }
    try (var tree = Files.walk(from)) {
      for (Path p : tree.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
        makeReadable(target);
      }
    }
    return to;
  }

  private static void makeReadable(Path p) {
    p.toFile().setReadable(true, false);
    if (Files.isDirectory(p)) {
      p.toFile().setExecutable(true, false);
    }
  }
}
