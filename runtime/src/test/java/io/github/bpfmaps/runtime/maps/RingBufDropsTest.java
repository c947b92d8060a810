package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ringbuf_drops.bpf.o}: a 4 KiB ring filled by 64-byte reservations through the counting macro. */
class RingBufDropsTest {
  static final MapSpec SMALL = MapSpec.of("small", MapType.RINGBUF, 0, 0, 4096, 0);

  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  @Test
  void everyReservationThatFoundTheRingFullIsCounted() {
    int cpu = Bpf.onlineCpus()[Bpf.onlineCpus().length - 1];
    BpfPerfEventArrayTest.pinTo(cpu); // every test run, so every drop, on one CPU
    try (BpfObject obj = BpfObject.load(TestObjects.testObject("ringbuf_drops"));
        var ring = new BpfRingBuf<>(obj, SMALL, Codecs.U64);
        RingBufDrops drops = RingBufDrops.bind(obj, "small")) {
      assertTrue(ring.countsDrops(), "bound from an object that declares small_drops");
      assertEquals(0, ring.dropped());
      obj.program("fill").testRun(new byte[64], 100);
      int kept = ring.consume(v -> assertEquals(7L, v));
      assertEquals(4096 / 72, kept, "64-byte records with 8-byte headers");
      assertEquals(100 - kept, ring.dropped(), "every run either kept a record or counted a drop");
      assertEquals(ring.dropped(), drops.dropped(), "the handle reads the same counter as RingBufDrops");
      assertEquals(100 - kept, ring.dropped(cpu), "test runs count on the CPU they ran on");
      obj.program("fill").testRun(new byte[64], 10); // room again after the read
      assertEquals(10, ring.consume(v -> { }));
      assertEquals(100 - kept, ring.dropped());
    } finally {
      BpfPerfEventArrayTest.pinTo(Bpf.onlineCpus());
    }
  }

  @Test
  void theCounterIsClosedWithTheRing() {
    try (BpfObject obj = BpfObject.load(TestObjects.testObject("ringbuf_drops"))) {
      var ring = new BpfRingBuf<>(obj, SMALL, Codecs.U64);
      ring.close();
      assertThrows(BpfClosedException.class, ring::dropped);
    }
  }

  @Test
  void aRingFromAnFdHasNoCountUnlessGivenOne() {
    MapSpec spec = MapSpec.of("rb_nodrops", MapType.RINGBUF, 0, 0, 4096, 0);
    try (var ring = new BpfRingBuf<>(MapFd.create(spec), spec, Codecs.U64)) {
      assertFalse(ring.countsDrops());
      BpfException e = assertThrows(BpfException.class, ring::dropped);
      assertTrue(e.getMessage().contains("BPFMAPS_RINGBUF_DROPS(rb_nodrops)"), e.getMessage());
    }
    try (BpfObject obj = BpfObject.load(TestObjects.testObject("ringbuf_drops"));
        var ring = new BpfRingBuf<>(obj.bindMap(SMALL, null, Codecs.U64), SMALL, Codecs.U64,
            RingBufDrops.bind(obj, "small"))) {
      obj.program("fill").testRun(new byte[64], 60);
      assertEquals(60 - 4096 / 72, ring.dropped());
    }
  }

  @Test
  void aRingWithoutACounterSaysHowToDeclareOne() {
    try (BpfObject obj = BpfObject.load(TestObjects.testObject("ringbuf_drops"))) {
      BpfException e = assertThrows(BpfException.class, () -> RingBufDrops.bind(obj, "other"));
      assertTrue(e.getMessage().contains("BPFMAPS_RINGBUF_DROPS(other)"), e.getMessage());
    }
  }
}
