package io.github.bpfmaps.runtime.reliability;

import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a failure may leave behind, counted from outside the runtime: this process's BPF fds (by
 * number and kernel id, so that a freed number taken by a new map still counts as new) and the
 * kernel's maps of given names (by id, through bpftool). Other worktrees run tests on the same
 * kernel, so map checks always go by names unique to the test.
 */
final class Leaks {
  private Leaks() {}

  /** {@code "fd -> anon_inode:bpf-map map_id: 12"} for every BPF fd of this process. */
  static Set<String> bpfFds() {
    Set<String> fds = new TreeSet<>();
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : s.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.contains("bpf") || target.contains("btf")) {
            String id = Files.readAllLines(Path.of("/proc/self/fdinfo").resolve(fd.getFileName())).stream()
                .filter(l -> l.startsWith("map_id:") || l.startsWith("prog_id:") || l.startsWith("btf_id:"))
                .findFirst().orElse("").replaceAll("\\s+", " ");
            fds.add(fd.getFileName() + " -> " + target + " " + id);
          }
        } catch (IOException closedMeanwhile) {
          // the listing's own fd, or one closed meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fds;
  }

  /** The BPF fds opened since {@code before} and still open. */
  static Set<String> newSince(Set<String> before) {
    Set<String> now = bpfFds();
    now.removeAll(before);
    return now;
  }

  /** Ids of the kernel's maps whose name is one of {@code names}. */
  static Set<Integer> mapsNamed(Set<String> names) {
    Set<Integer> ids = new TreeSet<>();
    for (Object m : (List<?>) bpftoolJson("map", "show")) {
      Map<?, ?> map = (Map<?, ?>) m;
      if (names.contains(String.valueOf(map.get("name")))) {
        ids.add(((Number) map.get("id")).intValue());
      }
    }
    return ids;
  }

  /**
   * Waits up to {@code seconds} for the maps named {@code names} to be gone (the kernel frees a map
   * whose last fd closed after an RCU grace period, and one a program held when the program goes)
   * and returns those still there.
   */
  static Set<Integer> mapsStillNamed(Set<String> names, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Set<Integer> ids = mapsNamed(names);
    while (!ids.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      ids = mapsNamed(names);
    }
    return ids;
  }
}
