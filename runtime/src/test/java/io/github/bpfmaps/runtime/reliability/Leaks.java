package io.github.bpfmaps.runtime.reliability;

import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a failure may leave behind in the kernel, counted from outside the runtime: the maps of
 * given names, by id through bpftool (fds are {@code KernelTests.runtimeFds()}). Other worktrees run
 * tests on the same kernel, so map checks always go by names unique to the test.
 */
final class Leaks {
  private Leaks() {}

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
