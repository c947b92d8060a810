package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.Asm;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.runtime.sys.RawMemory;
import io.github.bpfmaps.spec.Layout;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ArrayMmap}: field access, atomics shared with a BPF program, bulk reads, and a safe close. */
class ArrayMmapTest {
  /** {@code struct stats { __u64 packets; __u32 flags; __u32 pad; __u64 bytes; }}: 24 bytes. */
  record Stats(long packets, int flags, long bytes) {}

  static final Codec<Stats> STATS = new Codec<>() {
    final Layout layout = new Layout("stats", 24, 8, List.of(
        new Layout.Field("packets", "packets", 0, 8, 0, Layout.Kind.INT, false, false, null),
        new Layout.Field("flags", "flags", 8, 4, 0, Layout.Kind.INT, false, false, null),
        new Layout.Field("bytes", "bytes", 16, 8, 0, Layout.Kind.INT, false, false, null)));

    @Override public int byteSize() { return 24; }
    @Override public Layout layout() { return layout; }

    @Override public void encode(Stats v, ByteBuffer b, int o) {
      b.putLong(o, v.packets()).putInt(o + 8, v.flags()).putInt(o + 12, 0).putLong(o + 16, v.bytes());
    }

    @Override public Stats decode(ByteBuffer b, int o) {
      return new Stats(b.getLong(o), b.getInt(o + 8), b.getLong(o + 16));
    }
  };

  private static final String SUFFIX = "_" + (ProcessHandle.current().pid() % 100000);

  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  private static BpfArrayMap<Stats> stats(int entries) {
    MapSpec s = MapSpec.of("mm_stats" + SUFFIX, MapType.ARRAY, 4, 24, entries, MapFlags.MMAPABLE);
    return new BpfArrayMap<>(MapFd.create(s), s, STATS);
  }

  private static BpfArrayMap<Long> longs(int entries) {
    MapSpec s = MapSpec.of("mm_longs" + SUFFIX, MapType.ARRAY, 4, 8, entries, MapFlags.MMAPABLE);
    return new BpfArrayMap<>(MapFd.create(s), s, Codecs.U64);
  }

  @Test
  void fieldsAreReadAndWrittenAtTheLayoutsOffsetsWithoutDecoding() {
    try (var a = stats(4); var view = a.mmap()) {
      int packets = view.fieldOffset("packets");
      int flags = view.fieldOffset("flags");
      int bytes = view.fieldOffset("bytes");
      assertEquals(List.of(0, 8, 16), List.of(packets, flags, bytes));
      a.set(2, new Stats(10, 3, 1500));
      assertEquals(10, view.getLong(2, packets));
      assertEquals(3, view.getInt(2, flags));
      assertEquals(1500, view.getLong(2, bytes));
      view.setLong(3, bytes, 99);
      view.setInt(3, flags, -1);
      view.setShort(1, flags, (short) 0x1234);
      view.setByte(0, 0, (byte) 7);
      assertEquals(new Stats(0, -1, 99), a.get(3), "field writes seen by BPF_MAP_LOOKUP_ELEM");
      assertEquals((short) 0x1234, view.getShort(1, flags));
      assertEquals(7, view.getByte(0, 0));
      assertEquals(new Stats(7, 0, 0), view.get(0));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> view.fieldOffset("drops"));
      assertTrue(e.getMessage().contains("'drops'"), e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> view.getLong(0, 20), "8 bytes at 20 of a 24-byte value");
      IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class, () -> view.getInt(4, 0));
      assertTrue(past.getMessage().contains("index 4 of ARRAY map 'mm_stats"), past.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> view.getLong(-1, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> view.setLong(Integer.MIN_VALUE, 0, 1));
    }
  }

  /**
   * The field accessors above ran through {@link RawMemory} on Java 17–21 and through the buffer on
   * 22+ (the suite runs on both): this pins which, so that the benchmark's figures are those of the
   * path the JVM takes.
   */
  @Test
  void fieldAccessGoesToTheAddressOnlyBeforeJava22() {
    assertEquals(Runtime.version().feature() < 22, RawMemory.AVAILABLE,
        "RawMemory on Java " + Runtime.version().feature());
  }

  @Test
  void bulkReadsCopyOneFieldOfConsecutiveSlots() {
    try (var a = stats(100); var view = a.mmap(); var b = longs(10); var lv = b.mmap()) {
      for (int i = 0; i < 100; i++) {
        view.setLong(i, 16, i * 3L);
        view.setInt(i, 8, -i);
      }
      long[] out = new long[12];
      view.getLongs(40, 16, out, 2, 10);
      for (int i = 0; i < 10; i++) {
        assertEquals((40 + i) * 3L, out[2 + i]);
      }
      assertEquals(0, out[0]);
      int[] ints = new int[100];
      view.getInts(0, 8, ints, 0, 100);
      assertEquals(-99, ints[99]);
      for (int i = 0; i < 10; i++) {
        lv.setLong(i, i + 100L);
      }
      long[] all = new long[10];
      lv.getLongs(0, 0, all, 0, 10);
      assertArrayEquals(new long[] {100, 101, 102, 103, 104, 105, 106, 107, 108, 109}, all);
      assertThrows(IndexOutOfBoundsException.class, () -> view.getLongs(95, 0, new long[10], 0, 10));
      assertThrows(IndexOutOfBoundsException.class, () -> view.getLongs(0, 0, new long[5], 0, 10));
    }
  }

  @Test
  void compareAndSetAndAddAreAtomicAndNeedAlignedFields() {
    try (var a = stats(2); var view = a.mmap()) {
      assertEquals(0, view.addLong(1, 16, 5));
      assertEquals(5, view.addLong(1, 16, 2));
      assertTrue(view.compareAndSetLong(1, 16, 7, 40));
      assertFalse(view.compareAndSetLong(1, 16, 7, 50));
      assertEquals(40, a.get(1).bytes());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> view.addLong(0, 4, 1));
      assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
    }
  }

  /**
   * A BPF program adds with {@code lock xadd} (what {@code __sync_fetch_and_add} compiles to) while
   * two Java threads add to the same field through the mapping: no add is lost on either side.
   */
  @Test
  void javaAndBpfAtomicAddsToOneFieldAreAllCounted() throws Exception {
    int xdp = 6; // BPF_PROG_TYPE_XDP
    // One entry: array_map_direct_value_addr (kernel/bpf/arraymap.c) gives programs a direct
    // pointer (BPF_PSEUDO_MAP_VALUE) only into single-entry arrays.
    try (var a = stats(1); var view = a.mmap()) {
      int mapFd = a.fd().acquire();
      int prog;
      try {
        byte[] insns = new Asm()
            .ldMapValue(1, mapFd, 0) // r1 = &value[0]
            .movImm(2, 1)
            .atomicAddDw(1, 16, 2) // value[0].bytes
            .movImm(0, 2) // XDP_PASS
            .exit()
            .bytes();
        prog = BpfSys.progLoad(new ProgLoad().type(xdp).name("mm_xadd").insns(insns));
      } finally {
        a.fd().release();
      }
      try {
        int runs = 20;
        int repeat = 5_000;
        int javaAdds = 200_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          threads.add(new Thread(() -> {
            for (int i = 0; i < javaAdds; i++) {
              view.addLong(0, 16, 1);
            }
          }));
        }
        threads.add(new Thread(() -> {
          try {
            for (int r = 0; r < runs; r++) {
              assertEquals(2, BpfSys.progTestRun(prog, new byte[64], 0, repeat).retval());
            }
          } catch (Throwable e) {
            failure.set(e);
          }
        }));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
          t.join();
        }
        if (failure.get() != null) {
          throw new AssertionError(failure.get());
        }
        assertEquals(2L * javaAdds + (long) runs * repeat, view.getLong(0, 16));
        assertEquals(2L * javaAdds + (long) runs * repeat, a.get(0).bytes(), "the same total by the system call");
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  /**
   * Closing while 4 threads read, write, add and bulk-read through the mapping, 100 rounds, with
   * collections in between so that the Cleaner's {@code munmap} of earlier rounds runs meanwhile:
   * the accesses racing the close read zeros or throw {@link BpfClosedException}, the JVM never
   * touches unmapped memory, and every call ordered after the close (here by the volatile {@code
   * stop}) throws.
   */
  @Test
  void closeUnderFourAccessingThreadsNeverCrashes() throws Exception {
    try (var a = longs(4096)) {
      for (int round = 0; round < 100; round++) {
        ArrayMmap<Long> view = a.mmap();
        CountDownLatch started = new CountDownLatch(4);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong accessesAfterStop = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int kind = t;
          threads.add(new Thread(() -> {
            long[] bulk = new long[64];
            started.countDown();
            try {
              for (int i = 0; !stop.get(); i = (i + 1) & 4095) {
                access(view, kind, i, bulk);
              }
              access(view, kind, 0, bulk);
              accessesAfterStop.incrementAndGet(); // must not get here: the close is ordered before
            } catch (BpfClosedException e) {
              // the close was seen
            } catch (Throwable e) {
              failure.set(e);
            }
          }));
        }
        threads.forEach(Thread::start);
        started.await();
        if (ThreadLocalRandom.current().nextBoolean()) {
          Thread.onSpinWait();
        } else {
          Thread.sleep(0, ThreadLocalRandom.current().nextInt(200_000));
        }
        view.close();
        stop.set(true);
        for (Thread t : threads) {
          t.join(10_000);
          assertFalse(t.isAlive(), "a thread kept accessing after close");
        }
        if (failure.get() != null) {
          throw new AssertionError("round " + round, failure.get());
        }
        assertEquals(0, accessesAfterStop.get(), "a call ordered after close() did not throw");
        assertThrows(BpfClosedException.class, () -> view.get(0));
        if (round % 25 == 0) {
          System.gc(); // earlier rounds' handles are garbage: their ranges get unmapped now
        }
      }
    }
  }

  private static void access(ArrayMmap<Long> view, int kind, int i, long[] bulk) {
    switch (kind) {
      case 0 -> view.getLong(i);
      case 1 -> view.setLong(i, i);
      case 2 -> view.addLong(i, 0, 1);
      default -> view.getLongs(i & ~63, 0, bulk, 0, 64);
    }
  }

  private static boolean mapExists(int id) {
    try {
      BpfSys.close(BpfSys.mapGetFdById(id));
      return true;
    } catch (io.github.bpfmaps.errors.BpfSyscallException e) {
      return false;
    }
  }

  @Test
  void closeReleasesTheMapAtOnce() {
    MapSpec s = MapSpec.of("mm_release" + SUFFIX, MapType.ARRAY, 4, 8, 512, MapFlags.MMAPABLE);
    var a = new BpfArrayMap<>(MapFd.create(s), s, Codecs.U64);
    int id = a.id();
    ArrayMmap<Long> view = a.mmap();
    a.close();
    view.setLong(0, 1);
    assertTrue(mapExists(id), "the mapping keeps the map alive");
    view.close();
    // map_free runs from a work queue after the last reference goes
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (mapExists(id) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertFalse(mapExists(id), "map " + id + " still exists after close");
  }
}
