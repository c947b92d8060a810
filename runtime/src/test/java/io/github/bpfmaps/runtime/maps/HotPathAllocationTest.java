package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.NeedsBpf;
import io.github.bpfmaps.spec.MapSpec;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The element operations allocate nothing but the values they return. */
@NeedsBpf
class HotPathAllocationTest {
  static final int OPS = 20_000;

  private static com.sun.management.ThreadMXBean threads() {
    var bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no allocation counter in this JVM");
    var t = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(t.isThreadAllocatedMemorySupported(), "no allocation counter in this JVM");
    t.setThreadAllocatedMemoryEnabled(true);
    return t;
  }

  @Test
  void arrayGetAtAndSetAtAllocateNothingForCachedValues() {
    var t = threads();
    MapSpec s = MapSpec.of("alloc_array", MapType.ARRAY, 4, 8, 1024, 0);
    try (var a = new BpfArrayMap<>(MapFd.create(s), s, Codecs.U64)) {
      Long five = 5L;
      for (int i = 0; i < OPS; i++) { // warm up: JIT, thread-local buffers
        a.setAt(i & 1023, five);
        a.getAt(i & 1023);
      }
      long id = Thread.currentThread().getId();
      long before = t.getThreadAllocatedBytes(id);
      long sum = 0;
      for (int i = 0; i < OPS; i++) {
        a.setAt(i & 1023, five);
        sum += a.getAt(i & 1023); // 5L is a cached Long: decoding allocates nothing
      }
      long allocated = t.getThreadAllocatedBytes(id) - before;
      assertEquals(5L * OPS, sum);
      assertTrue(allocated < OPS / 10, "allocated " + allocated + " bytes for " + 2 * OPS + " calls");
    }
  }

  @Test
  void hashHitsAndMissesAllocateNothing() {
    var t = threads();
    MapSpec s = MapSpec.of("alloc_hash", MapType.HASH, 4, 8, 128, 0);
    try (var m = new BpfHashMap<>(MapFd.create(s), s, Codecs.U32, Codecs.U64)) {
      Integer key = 7;
      Long value = 3L;
      Integer absent = 8;
      for (int i = 0; i < OPS; i++) {
        m.set(key, value);
        m.get(key);
        m.contains(key);
        m.get(absent);
        m.contains(absent);
        m.remove(absent);
      }
      long id = Thread.currentThread().getId();
      long before = t.getThreadAllocatedBytes(id);
      for (int i = 0; i < OPS; i++) {
        m.set(key, value);
        m.get(key);
        m.contains(key);
        m.get(absent); // misses: ENOENT is read from JNA's saved errno, no exception is built
        m.contains(absent);
        m.remove(absent);
      }
      long allocated = t.getThreadAllocatedBytes(id) - before;
      assertTrue(allocated < OPS / 10, "allocated " + allocated + " bytes for " + 6 * OPS + " calls");
    }
  }
  @Test
  void primitiveAccessorsAllocateNothingForLargeValues() {
    var t = threads();
    MapSpec hs = MapSpec.of("alloc_prim_h", MapType.HASH, 4, 8, 128, 0);
    MapSpec as = MapSpec.of("alloc_prim_a", MapType.ARRAY, 4, 4, 64, 0);
    try (var h = new BpfHashMap<>(MapFd.create(hs), hs, Codecs.U32, Codecs.U64);
        var a = new BpfArrayMap<>(MapFd.create(as), as, Codecs.U32)) {
      Integer key = 7;
      Integer absent = 8;
      long sum = 0;
      for (int i = 0; i < 2 * OPS; i++) { // the first half warms up
        if (i == OPS) {
          sum = 0;
        }
        long big = 1_000_000L + i; // a Long of this size would be a new object every time
        h.setLong(key, big);
        sum += h.getLong(key, -1) - big;
        sum += h.getLong(absent, -1);
        a.setIntAt(i & 63, i);
        sum += a.getIntAt(i & 63, -1) - i;
        sum += a.getIntAt(64, -1); // past the end: absent
      }
      long id = Thread.currentThread().getId();
      long before = t.getThreadAllocatedBytes(id);
      for (int i = 0; i < OPS; i++) {
        long big = 1_000_000L + i;
        h.setLong(key, big);
        sum += h.getLong(key, -1) - big;
        a.setIntAt(i & 63, i);
        sum += a.getIntAt(i & 63, -1) - i;
      }
      long allocated = t.getThreadAllocatedBytes(id) - before;
      assertEquals(-2L * OPS, sum);
      assertTrue(allocated < OPS / 10, "allocated " + allocated + " bytes for " + 4 * OPS + " calls");
    }
  }

  @Test
  void primitiveAccessorsRefuseOtherValueSizes() {
    MapSpec s = MapSpec.of("prim_size", MapType.HASH, 4, 16, 8, 0);
    try (var m = new BpfHashMap<>(MapFd.create(s), s, Codecs.U32, Codecs.bytes(16))) {
      var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> m.getLong(1, 0));
      assertTrue(e.getMessage().contains("16-byte values"), e.getMessage());
      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> m.setInt(1, 0));
    }
  }

  /**
   * Runs {@code body} OPS times to warm up, then OPS times counting this thread's allocation, which
   * must stay under a tenth of a byte per call; returns the sum of the measured calls' results.
   */
  private static long measured(java.util.function.IntToLongFunction body, int callsPerRound) {
    var t = threads();
    for (int i = 0; i < OPS; i++) { // warm up: JIT, thread-local buffers
      body.applyAsLong(i);
    }
    long id = Thread.currentThread().getId();
    long before = t.getThreadAllocatedBytes(id);
    long sum = 0;
    for (int i = 0; i < OPS; i++) {
      sum += body.applyAsLong(i);
    }
    long allocated = t.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < OPS / 10, "allocated " + allocated + " bytes for " + callsPerRound * OPS + " calls");
    return sum;
  }

  @Test
  void perCpuSumsAndFillsAllocateNothing() {
    MapSpec as = MapSpec.of("alloc_pcpu_a", MapType.PERCPU_ARRAY, 4, 8, 64, 0);
    MapSpec hs = MapSpec.of("alloc_pcpu_h", MapType.PERCPU_HASH, 4, 8, 64, 0);
    try (var a = new BpfPerCpuArrayMap<>(MapFd.create(as), as, Codecs.U64);
        var h = new BpfPerCpuHashMap<>(MapFd.create(hs), hs, Codecs.U32, Codecs.U64)) {
      int cpus = a.cpus();
      a.setAll(3, 1_000_000L);
      Integer key = 7;
      Integer absent = 8;
      h.setAll(key, 2_000_000L);
      long[] perCpu = new long[cpus];
      long sum = measured(i -> {
        long s = a.sumLongAt(3, 0);
        a.getLongsAt(3, 0, perCpu);
        s += perCpu[cpus - 1];
        s += h.sumLong(key, 0, -1);
        s += h.sumLong(absent, 0, 0);
        return s + (h.getLongs(key, 0, perCpu) ? perCpu[0] : -1);
      }, 5);
      assertEquals(OPS * (1_000_000L * (cpus + 1) + 2_000_000L * (cpus + 1)), sum);
    }
  }

  @Test
  void mmappedFieldAccessAtomicsAndBulkReadsAllocateNothing() {
    MapSpec s = MapSpec.of("alloc_mmap", MapType.ARRAY, 4, 16, 1024, io.github.bpfmaps.annotations.MapFlags.MMAPABLE);
    try (var a = new BpfArrayMap<>(MapFd.create(s), s, Codecs.bytes(16)); var view = a.mmap()) {
      long[] bulk = new long[64];
      long sum = measured(i -> {
        int k = i & 1023;
        view.setLong(k, 0, i);
        view.setInt(k, 8, 1);
        long r = view.getLong(k, 0) - i + view.getInt(k, 8);
        r += view.addLong(k, 0, 1) - i;
        r += view.compareAndSetLong(k, 0, i + 1, i) ? 1 : 0;
        view.getLongs(k & ~63, 8, bulk, 0, 64);
        return r;
      }, 6);
      assertEquals(2L * OPS, sum); // 1 from the int field, 1 from the successful compare-and-set
    }
  }
}
