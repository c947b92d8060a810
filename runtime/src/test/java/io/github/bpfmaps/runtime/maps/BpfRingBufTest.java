package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.NeedsBpf;
import io.github.bpfmaps.runtime.sys.Asm;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.spec.MapSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@NeedsBpf
class BpfRingBufTest {
  static final MapSpec RING = MapSpec.of("ring_test", MapType.RINGBUF, 0, 0, 4096, 0);
  static final int BPF_FUNC_RINGBUF_OUTPUT = 130;
  static final int XDP = 6;

  /** An XDP program: {@code u64 v = value; bpf_ringbuf_output(&ring, &v, 8, 0); return XDP_PASS;}. */
  static int producer(BpfRingBuf<?> ring, int value) {
    int ringFd = ring.fd().acquire();
    try {
      byte[] insns = new Asm()
          .movImm(1, value).stxDw(10, -8, 1)
          .ldMapFd(1, ringFd)
          .movReg(2, 10).addImm(2, -8)
          .movImm(3, 8)
          .movImm(4, 0)
          .call(BPF_FUNC_RINGBUF_OUTPUT)
          .movImm(0, 2)
          .exit()
          .bytes();
      return BpfSys.progLoad(new ProgLoad().type(XDP).name("ring_producer").insns(insns));
    } finally {
      ring.fd().release();
    }
  }

  static void run(int prog, int times) {
    assertEquals(2, BpfSys.progTestRun(prog, new byte[64], 0, times).retval());
  }

  @Test
  void emptyRingPollsForTheTimeoutAndReturnsNothing() {
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      assertEquals(0, ring.available());
      long t0 = System.nanoTime();
      int n = ring.poll(Duration.ofMillis(100), v -> {
        throw new AssertionError("no record expected");
      });
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(0, n);
      assertTrue(ms >= 90 && ms < 2000, "waited " + ms + " ms");
      assertEquals(0, ring.consume(v -> { }));
    }
  }

  @Test
  void recordsWrittenByABpfProgramAreConsumedInOrder() {
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      int prog = producer(ring, 0x1234567);
      try {
        run(prog, 5);
        assertEquals(5 * 16, ring.available(), "five 8-byte records with 8-byte headers");
        List<Long> got = new ArrayList<>();
        assertEquals(5, ring.consume(got::add));
        assertEquals(List.of(0x1234567L, 0x1234567L, 0x1234567L, 0x1234567L, 0x1234567L), got);
        assertEquals(0, ring.available());
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void recordsWrapAroundTheRingEndIntact() {
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      int prog = producer(ring, 99);
      try {
        long total = 0;
        for (int round = 0; round < 10; round++) {
          run(prog, 100); // 1600 bytes a round: crosses the 4096-byte end several times
          total += ring.consume(v -> assertEquals(99L, v));
        }
        assertEquals(1000, total);
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void pollWakesUpWhenAProgramWrites() throws Exception {
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      int prog = producer(ring, 7);
      try {
        List<Long> got = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread consumer = new Thread(() -> ring.poll(Duration.ofSeconds(10), got::add));
        long t0 = System.nanoTime();
        consumer.start();
        Thread.sleep(50);
        run(prog, 1);
        consumer.join(10_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(List.of(7L), got);
        assertTrue(ms < 5000, "woke after " + ms + " ms");
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void recordShorterThanTheValueTypeIsRefused() {
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.bytes(16))) {
      int prog = producer(ring, 1);
      try {
        run(prog, 1);
        BpfValueException e = assertThrows(BpfValueException.class, () -> ring.consume(v -> { }));
        assertTrue(e.getMessage().contains("8-byte record"), e.getMessage());
        assertEquals(0, ring.available(), "the bad record is skipped, not stuck");
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void ringIsWhatBpftoolShows() {
    KernelTests.needBpftool();
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> shown = (Map<String, Object>) KernelTests.bpftoolJson("map", "show", "id", String.valueOf(ring.id()));
      assertEquals("ringbuf", shown.get("type"));
      assertEquals(4096L, shown.get("max_entries"));
      assertEquals("ring_test", shown.get("name"));
    }
  }

  @Test
  void closedRingRefusesToConsume() {
    var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64);
    ring.close();
    ring.close();
    assertThrows(BpfClosedException.class, () -> ring.consume(v -> { }));
    assertThrows(BpfClosedException.class, () -> ring.poll(Duration.ofMillis(1), v -> { }));
  }

  @Test
  void closeDuringAWaitingPollLetsThePollFinishThenRefuses() throws Exception {
    var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64);
    List<Object> outcome = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread poller = new Thread(() -> {
      try {
        outcome.add(ring.poll(Duration.ofMillis(300), v -> { }));
      } catch (Throwable e) {
        outcome.add(e);
      }
    });
    poller.start();
    Thread.sleep(50);
    ring.close(); // the mapping stays until the poll returns: no access to unmapped memory
    poller.join(5000);
    assertEquals(List.of(0), outcome);
    assertThrows(BpfClosedException.class, () -> ring.poll(Duration.ofMillis(1), v -> { }));
  }

  @Test
  void openingAndClosingRingsLeaksNoFds() {
    for (int i = 0; i < 5; i++) {
      new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64).close();
    }
    Set<String> before = KernelTests.runtimeFds();
    for (int i = 0; i < 200; i++) {
      new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64).close();
    }
    assertEquals(Set.of(), KernelTests.newFdsSince(before));
  }
}
