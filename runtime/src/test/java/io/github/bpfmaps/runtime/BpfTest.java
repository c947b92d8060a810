package io.github.bpfmaps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BpfTest {
  @Test
  void reasonMatchesAvailability() {
    if (Bpf.available()) {
      assertEquals("bpf(2) available", Bpf.unavailableReason());
    } else {
      assertTrue(Bpf.unavailableReason().startsWith("bpf(2) "), Bpf.unavailableReason());
    }
  }

  @Test
  void possibleCpusIsAtLeastTheOnlineCount() {
    assertTrue(Bpf.possibleCpus() >= Runtime.getRuntime().availableProcessors());
  }

  @Test
  void malformedCpuListsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Bpf.parseCpuList("\n"));
    assertThrows(NumberFormatException.class, () -> Bpf.parseCpuList("x-1"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 1, 2, 3, 8, 10, 11}, Bpf.cpuIds("0-3,8,10-11\n"));
  }
}
