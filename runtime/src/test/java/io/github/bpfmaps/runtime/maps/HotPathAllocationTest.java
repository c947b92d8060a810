package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The element operations allocate nothing but the values they return. */
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

  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  @Test
  void arrayGetAtAndSetAtAllocateNothingForCachedValues() {
    var t = threads();
    MapSpec s = MapSpec.of("alloc_array", MapType.ARRAY, 4, 8, 1024, 0);
    try (var a = new BpfArrayMap<>(MapFd.create(s), s, Codecs.U64)) {
      Long five = 5L;
      for (int i = 0; i < OPS; i++) { // warm up: JIT, thread-local buffers
        a.set(i & 1023, five);
        a.get(i & 1023);
      }
      long id = Thread.currentThread().getId();
      long before = t.getThreadAllocatedBytes(id);
      long sum = 0;
      for (int i = 0; i < OPS; i++) {
        a.set(i & 1023, five);
        sum += a.get(i & 1023); // 5L is a cached Long: decoding allocates nothing
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
}
