package io.github.bpfmaps.runtime.reliability;

import static io.github.bpfmaps.runtime.KernelTests.bpftool;
import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.runtime.BpfLink;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.LinkType;
import io.github.bpfmaps.runtime.VethPair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed with SIGKILL (no close, no Cleaner, no shutdown hook) leaves no attachment behind:
 * the kernel closes its fds and an unpinned link detaches with its last fd. A pinned link stays
 * attached until someone unpins it. bpftool {@code link show}, {@code net show} and {@code perf
 * show} are the oracles.
 */
class AttachKillTest {
  record Child(Process process, List<Integer> links, int xdpProg) {}

  static Child start(String iface, String pin) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AttachChild.class.getName(), iface, pin)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    String line = r.readLine();
    assertTrue(line != null && line.startsWith("links "), "the child did not attach: " + line);
    String[] f = line.split(" ");
    return new Child(p, List.of(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3])),
        Integer.parseInt(f[5]));
  }

  static Set<Integer> linkIds() {
    Set<Integer> ids = new TreeSet<>();
    for (Object o : (List<?>) bpftoolJson("link", "show")) {
      ids.add(((Number) ((Map<?, ?>) o).get("id")).intValue());
    }
    return ids;
  }

  /** The child's links still listed, after waiting up to 5 s for the kernel's deferred release. */
  static List<Integer> remaining(List<Integer> links) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    List<Integer> left;
    do {
      Set<Integer> now = linkIds();
      left = new ArrayList<>(links);
      left.retainAll(now);
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return left;
  }

  static void kill(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL on Linux
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(128 + 9, p.exitValue(), "killed by SIGKILL");
  }

  @Test
  void aKilledJvmLeavesNoLinkNoXdpAndNoPerfEvent() throws Exception {
    KernelTests.needBpftool();
    try (VethPair v = VethPair.create()) {
      Child c = start(v.host, "-");
      assertTrue(linkIds().containsAll(c.links()), "the child's links are listed");
      assertTrue(bpftool("net", "show", "dev", v.host).contains("id " + c.xdpProg()));
      long pid = c.process().pid();
      assertTrue(bpftool("perf", "show").contains("pid " + pid), "its tracepoint shows in perf show");
      kill(c.process());
      assertEquals(List.of(), remaining(c.links()), "links left by the killed JVM");
      assertFalse(bpftool("net", "show", "dev", v.host).contains("id " + c.xdpProg()), bpftool("net", "show"));
      assertFalse(bpftool("perf", "show").contains("pid " + pid + " "));
    }
  }

  @Test
  void aPinnedLinkOutlivesTheKilledJvmUntilUnpinned() throws Exception {
    KernelTests.needBpftool();
    Path pins = KernelTests.pinDir();
    try (VethPair v = VethPair.create()) {
      Path pin = pins.resolve("xdp_link");
      Child c = start(v.host, pin.toString());
      kill(c.process());
      assertEquals(List.of(c.links().get(0)), remaining(c.links()), "only the pinned XDP link stays");
      assertTrue(bpftool("net", "show", "dev", v.host).contains("id " + c.xdpProg()), "still attached");
      try (BpfLink link = BpfLink.openPinned(pin)) {
        assertEquals(c.links().get(0), link.id());
        assertEquals(LinkType.XDP, link.info().type());
        link.unpin();
      }
      assertFalse(Files.exists(pin));
      assertEquals(List.of(), remaining(c.links()));
      assertFalse(bpftool("net", "show", "dev", v.host).contains("id " + c.xdpProg()));
    } finally {
      KernelTests.deleteTree(pins);
    }
  }
}
