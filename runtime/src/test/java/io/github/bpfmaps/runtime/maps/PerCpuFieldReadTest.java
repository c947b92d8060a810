package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The allocation-free per-CPU reads agree with {@link PerCpuValues} of the same entry. */
class PerCpuFieldReadTest {
  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  /** A different {@code Stats} per CPU: packets {@code 1 + cpu}, flags {@code 0xffffff00 + cpu}, bytes {@code 100 * cpu}. */
  private static PerCpuValues<ArrayMmapTest.Stats> perCpuStats(int cpus) {
    List<ArrayMmapTest.Stats> l = new ArrayList<>();
    for (int c = 0; c < cpus; c++) {
      l.add(new ArrayMmapTest.Stats(1 + c, 0xffffff00 + c, 100L * c));
    }
    return PerCpuValues.of(l);
  }

  @Test
  void arraySumsAndFillsMatchTheDecodedValues() {
    MapSpec s = MapSpec.of("pcpu_fields", MapType.PERCPU_ARRAY, 4, 24, 4, 0);
    try (var a = new BpfPerCpuArrayMap<>(MapFd.create(s), s, ArrayMmapTest.STATS)) {
      int cpus = a.cpus();
      var values = perCpuStats(cpus);
      a.setAt(2, values);
      int packets = a.fieldOffset("packets");
      int flags = a.fieldOffset("flags");
      int bytes = a.fieldOffset("bytes");
      assertEquals(values.sum(ArrayMmapTest.Stats::packets), a.sumLongAt(2, packets));
      assertEquals(values.sum(ArrayMmapTest.Stats::bytes), a.sumLongAt(2, bytes));
      assertEquals(values.sum(v -> Integer.toUnsignedLong(v.flags())), a.sumIntAt(2, flags), "u32 fields sum unsigned");
      long[] perCpu = new long[cpus + 1];
      perCpu[cpus] = -7;
      a.getLongsAt(2, bytes, perCpu);
      int[] ints = new int[cpus];
      a.getIntsAt(2, flags, ints);
      for (int c = 0; c < cpus; c++) {
        assertEquals(100L * c, perCpu[c]);
        assertEquals(0xffffff00 + c, ints[c]);
      }
      assertEquals(-7, perCpu[cpus], "only cpus() entries are written");
      assertEquals(0, a.sumLongAt(3, packets), "an untouched index sums to zero");
      assertThrows(IndexOutOfBoundsException.class, () -> a.sumLongAt(4, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> a.sumLongAt(0, 20));
      assertThrows(IllegalArgumentException.class, () -> a.getLongsAt(0, 0, new long[cpus - 1]));
    }
  }

  @Test
  void hashSumsAndFillsMatchTheDecodedValues() {
    MapSpec s = MapSpec.of("pcpu_hfields", MapType.PERCPU_HASH, 4, 8, 16, 0);
    try (var h = new BpfPerCpuHashMap<>(MapFd.create(s), s, Codecs.U32, Codecs.U64)) {
      int cpus = h.cpus();
      List<Long> l = new ArrayList<>();
      for (int c = 0; c < cpus; c++) {
        l.add(c == 0 ? -1L : 5L * c); // -1 is u64 max: the sum wraps as in C
      }
      h.set(9, PerCpuValues.of(l));
      assertEquals(h.get(9).sum(Long::longValue), h.sumLong(9, 0, 42));
      assertEquals(42, h.sumLong(10, 0, 42), "absent key");
      long[] perCpu = new long[cpus];
      assertTrue(h.getLongs(9, 0, perCpu));
      assertArrayEquals(l.stream().mapToLong(Long::longValue).toArray(), perCpu);
      assertFalse(h.getLongs(10, 0, perCpu));
      assertThrows(IllegalArgumentException.class, () -> h.fieldOffset("packets"));
    }
  }
}
