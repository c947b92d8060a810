package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user ring buffer producer on a real map. That a program drains what it wrote is shown by the
 * samples' {@code UserCommandsDemoTest} ({@code bpf_user_ringbuf_drain} needs a callback function,
 * which a compiled object provides).
 */
class BpfUserRingBufTest {
  static final MapSpec RING = MapSpec.of("user_ring_t", MapType.USER_RINGBUF, 0, 0, 4096, 0);

  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  @Test
  void offerFillsTheRingThenSaysFullWithoutBlocking() {
    try (var ring = new BpfUserRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      assertEquals(4096, ring.free());
      int accepted = 0;
      while (ring.offer((long) accepted)) {
        accepted++;
      }
      assertEquals(4096 / 16, accepted, "8-byte header + 8-byte record each");
      assertEquals(0, ring.free());
      assertFalse(ring.offer(1L), "still full: nothing drained it");
      assertNull(ring.reserve(8));
    }
  }

  @Test
  void reservationsRoundToEightAndSubmitOnce() {
    try (var ring = new BpfUserRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      var r = ring.reserve(13);
      assertNotNull(r);
      assertEquals(13, r.length());
      assertEquals(8, r.offset(), "after the record header");
      assertEquals(4096 - 24, ring.free(), "13 + 8 rounded up to 24");
      r.buffer().put(r.offset(), (byte) 1);
      r.submit();
      assertThrows(IllegalStateException.class, r::submit);
      var d = ring.reserve(8);
      assertNotNull(d);
      d.discard();
      assertEquals(4096 - 40, ring.free());
    }
  }

  @Test
  void aRecordLargerThanTheRingIsRefusedWithItsSize() {
    try (var ring = new BpfUserRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.reserve(4096));
      assertTrue(e.getMessage().contains("'user_ring_t'") && e.getMessage().contains("4096-byte record"),
          e.getMessage());
    }
  }

  @Test
  void closeUnmapsAndClosesTheMap() {
    Set<String> before = KernelTests.runtimeFds();
    var ring = new BpfUserRingBuf<>(MapFd.create(RING), RING, Codecs.U64);
    assertTrue(ring.offer(5L));
    ring.close();
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
    assertThrows(BpfClosedException.class, () -> ring.offer(6L));
  }
}
