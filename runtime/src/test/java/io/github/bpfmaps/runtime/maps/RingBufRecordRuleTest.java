package io.github.bpfmaps.runtime.maps;

import static io.github.bpfmaps.runtime.maps.BpfRingBufTest.BPF_FUNC_RINGBUF_OUTPUT;
import static io.github.bpfmaps.runtime.maps.BpfRingBufTest.RING;
import static io.github.bpfmaps.runtime.maps.BpfRingBufTest.XDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.errors.BpfRecordException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.internal.CodecSupport;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.Asm;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ring buffer's promises under hostile records and callbacks: an undecodable record never
 * blocks the ring (issue 18, class 2), and each record is delivered once even to a callback that
 * consumes from the same ring (class 3).
 */
class RingBufRecordRuleTest {
  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  /** As a generated enum codec: a u64 that refuses the number 3, which no constant has. */
  static final Codec<Long> NO_THREE = new Codec<>() {
    @Override public int byteSize() { return 8; }
    @Override public void encode(Long v, ByteBuffer b, int o) { b.putLong(o, v); }
    @Override public Long decode(ByteBuffer b, int o) {
      long v = b.getLong(o);
      if (v == 3) {
        throw CodecSupport.unknownEnum("Event.kind", "Kind", v);
      }
      return v;
    }
  };

  /** Writes one record of {@code size} bytes (the first 8 hold {@code value}) into the ring. */
  private static void produce(BpfRingBuf<?> ring, int value, int size) {
    int ringFd = ring.fd().acquire();
    int prog;
    try {
      byte[] insns = new Asm()
          .movImm(1, value).stxDw(10, -8, 1)
          .ldMapFd(1, ringFd)
          .movReg(2, 10).addImm(2, -8)
          .movImm(3, size)
          .movImm(4, 0)
          .call(BPF_FUNC_RINGBUF_OUTPUT)
          .movImm(0, 2)
          .exit()
          .bytes();
      prog = BpfSys.progLoad(new ProgLoad().type(XDP).name("ring_rule").insns(insns));
    } finally {
      ring.fd().release();
    }
    try {
      assertEquals(2, BpfSys.progTestRun(prog, new byte[64], 0, 1).retval());
    } finally {
      BpfSys.close(prog);
    }
  }

  @Test
  void recordTheCodecRefusesIsSkippedAndLaterRecordsAreDelivered() {
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, NO_THREE)) {
      for (int i = 0; i < 6; i++) {
        produce(ring, i, 8);
      }
      List<Long> got = new ArrayList<>();
      BpfRecordException e = assertThrows(BpfRecordException.class, () -> ring.consume(got::add));
      assertEquals(List.of(0L, 1L, 2L, 4L, 5L), got, "the records after the bad one are delivered");
      assertEquals(3 * 16, e.position(), "three 16-byte records (header and u64) before it");
      assertEquals(8, e.length());
      assertEquals(5, e.delivered());
      assertEquals(1, e.skipped());
      assertTrue(e.getMessage().contains("ring buffer 'ring_test'"), e.getMessage());
      assertTrue(e.getMessage().contains("position 48"), e.getMessage());
      assertTrue(e.getMessage().contains("which no constant of Kind has"), e.getMessage());
      assertEquals(0, ring.available(), "the ring moved past every record");
      produce(ring, 6, 8);
      assertEquals(1, ring.consume(got::add), "the ring is not blocked");
      assertEquals(6L, got.get(got.size() - 1));
    }
  }

  @Test
  void shortRecordFollowsTheSameRuleAsARefusedOne() {
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, NO_THREE)) {
      produce(ring, 1, 8);
      produce(ring, 2, 4); // 4 bytes: shorter than the u64
      produce(ring, 3, 8); // refused by the codec
      produce(ring, 4, 8);
      List<Long> got = new ArrayList<>();
      BpfRecordException e = assertThrows(BpfRecordException.class, () -> ring.consume(got::add));
      assertEquals(List.of(1L, 4L), got);
      assertEquals(16, e.position());
      assertEquals(4, e.length());
      assertEquals(2, e.skipped());
      assertEquals(1, e.getSuppressed().length, "the second bad record rides along");
      assertTrue(e.getSuppressed()[0].getMessage().contains("position 32"), e.getSuppressed()[0].getMessage());
      assertEquals(0, ring.consume(got::add));
    }
  }

  @Test
  void nestedConsumeFromTheCallbackDeliversEachRecordOnce() {
    try (var ring = new BpfRingBuf<>(MapFd.create(RING), RING, Codecs.U64)) {
      for (int i = 0; i < 6; i++) {
        produce(ring, i, 8);
      }
      List<Long> got = new ArrayList<>();
      int[] nested = new int[1];
      int outer = ring.consume(v -> {
        got.add(v);
        if (v == 0) {
          nested[0] = ring.consume(got::add);
        }
      });
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), got);
      assertEquals(1, outer);
      assertEquals(5, nested[0]);
      assertEquals(0, ring.available(), "the consumer position did not move backwards");
      produce(ring, 7, 8);
      assertEquals(1, ring.consume(got::add));
      assertEquals(7L, got.get(6));
    }
  }
}
