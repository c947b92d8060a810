package io.github.bpfmaps.runtime.maps;

import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;
import static io.github.bpfmaps.runtime.KernelTests.hexBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfMapFullException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.NeedsBpf;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@NeedsBpf
class BpfArrayMapTest {
  static BpfArrayMap<Long> array(int entries, int flags) {
    MapSpec s = MapSpec.of("array_test", MapType.ARRAY, 4, 8, entries, flags);
    return new BpfArrayMap<>(MapFd.create(s), s, Codecs.U64);
  }

  @Test
  void everyIndexStartsAtZeroAndPastTheEndIsNull() {
    try (var a = array(8, 0)) {
      assertEquals(8, a.length());
      for (int i = 0; i < 8; i++) {
        assertEquals(0L, a.get(i));
      }
      assertNull(a.get(8));
      assertNull(a.get(-1));
    }
  }

  @Test
  void primitiveAndBoxedIndexesReachTheSameSlot() {
    try (var a = array(8, 0)) {
      a.set(3, 33L);
      assertEquals(33L, a.get(Integer.valueOf(3)));
      a.set(Integer.valueOf(5), Long.valueOf(55)); // the inherited boxed-key set
      assertEquals(55L, a.get(5) /* primitive get */);
    }
  }

  @Test
  void writingPastTheEndIsE2big() {
    try (var a = array(4, 0)) {
      BpfMapFullException e = assertThrows(BpfMapFullException.class, () -> a.set(4, Long.valueOf(1)));
      assertEquals(Errno.E2BIG, e.errno());
      assertTrue(e.getMessage().contains("index 4 is past the end of the array (max_entries 4)"),
          e.getMessage());
    }
  }

  @Test
  void aNegativeIndexIsAU32PastTheEnd() {
    try (var a = array(4, 0)) {
      // The kernel reads the key as a u32: -1 is 4294967295, past the end of any array.
      assertNull(a.getAt(-1));
      assertEquals(7L, a.getLongAt(-1, 7L));
      BpfMapFullException e = assertThrows(BpfMapFullException.class, () -> a.setAt(-1, 1L));
      assertTrue(e.getMessage().contains(
          "index 4294967295 (-1 as a Java int) is past the end of the array (max_entries 4)"),
          e.getMessage());
      assertThrows(BpfMapFullException.class, () -> a.setLongAt(Integer.MIN_VALUE, 1L));
      for (int i = 0; i < 4; i++) {
        assertEquals(0L, a.getLongAt(i, -1L), "index " + i + " untouched");
      }
    }
  }

  @Test
  void arrayEntriesCannotBeCreatedWithNoexistAndOnlyAGenericHandleCanTryToDeleteThem() {
    MapSpec ps = MapSpec.of("pcpu_array_rm", MapType.PERCPU_ARRAY, 4, 4, 4, 0);
    try (var a = array(4, 0); var pc = new BpfPerCpuArrayMap<>(MapFd.create(ps), ps, Codecs.U32)) {
      a.setAt(1, 7L);
      pc.setAll(1, 7);
      assertThrows(io.github.bpfmaps.errors.BpfKeyExistsException.class, () -> a.put(1, 1L, UpdateFlag.NOEXIST));
      // The array handles have no remove (HandleOperationsTest); a generic deletable handle of the
      // same maps still reaches the kernel, which answers EINVAL, and the message says why.
      try (var generic = new BpfDeletableMap<>(a.fd().dup(), a.spec(), Codecs.U32, Codecs.U64);
          var genericPc = new BpfDeletableMap<>(pc.fd().dup(), pc.spec(), Codecs.U32, pc.valueCodec())) {
        for (BpfDeletableMap<Integer, ?> m : List.<BpfDeletableMap<Integer, ?>>of(generic, genericPc)) {
          BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> m.removeAll(List.of(1)));
          assertEquals(Errno.EINVAL, e.errno());
          assertTrue(e.getMessage().contains("cannot be deleted") && e.getMessage().contains("clear() writes zeros"),
              e.getMessage());
          assertEquals(Errno.EINVAL, assertThrows(BpfSyscallException.class, () -> m.remove(1)).errno());
        }
      }
      assertEquals(7L, a.getAt(1), "a refused remove leaves the value");
      assertEquals(7, pc.getAt(1).get(0));
    }
  }

  @Test
  void clearWritesZerosEverywhere() {
    try (var a = array(16, 0)) {
      for (int i = 0; i < 16; i++) {
        a.set(i, Long.valueOf(i + 1));
      }
      a.clear();
      a.forEachEntry((k, v) -> assertEquals(0L, v));
      assertEquals(16, a.toMap().size());
    }
  }

  @Test
  void iterationAndBatchesCoverEveryIndexInOrder() {
    try (var a = array(300, 0)) {
      Map<Integer, Long> all = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        all.put(i, i * 3L);
      }
      assertEquals(300, a.putAll(all, UpdateFlag.ANY));
      List<Integer> order = new ArrayList<>();
      a.forEachEntry((k, v) -> {
        order.add(k);
        assertEquals(k * 3L, v);
      });
      assertEquals(300, order.size());
      for (int i = 0; i < 300; i++) {
        assertEquals(i, order.get(i));
      }
      assertEquals(all, new HashMap<>(a.stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }
  }

  @Test
  void whatWeWriteIsWhatBpftoolDumps() {
    KernelTests.needBpftool();
    try (var a = array(3, 0)) {
      a.set(0, Long.valueOf(7));
      a.set(2, Long.valueOf(Long.MIN_VALUE));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> dump = (List<Map<String, Object>>) bpftoolJson("map", "dump", "id", String.valueOf(a.id()));
      long[] seen = new long[3];
      for (Map<String, Object> e : dump) {
        int k = ByteBuffer.wrap(hexBytes(e.get("key"))).order(ByteOrder.nativeOrder()).getInt();
        seen[k] = ByteBuffer.wrap(hexBytes(e.get("value"))).order(ByteOrder.nativeOrder()).getLong();
      }
      assertEquals(List.of(7L, 0L, Long.MIN_VALUE), List.of(seen[0], seen[1], seen[2]));
    }
  }

  @Test
  void mmapViewSharesMemoryWithTheSystemCallPath() {
    try (var a = array(1000, MapFlags.MMAPABLE); ArrayMmap<Long> view = a.mmap()) {
      assertEquals(1000, view.length());
      view.set(999, 12345L);
      assertEquals(12345L, a.get(999), "written through memory, read by BPF_MAP_LOOKUP_ELEM");
      a.set(0, Long.valueOf(-9));
      assertEquals(-9L, view.get(0), "written by BPF_MAP_UPDATE_ELEM, read from memory");
      assertThrows(IndexOutOfBoundsException.class, () -> view.get(1000));
    }
  }

  @Test
  void mmapOfOddValueSizesUsesEightByteSlots() {
    MapSpec s = MapSpec.of("odd_mmap", MapType.ARRAY, 4, 3, 5, MapFlags.MMAPABLE);
    try (var a = new BpfArrayMap<>(MapFd.create(s), s, Codecs.bytes(3)); var view = a.mmap()) {
      a.set(1, new byte[] {1, 2, 3});
      a.set(2, new byte[] {4, 5, 6});
      assertEquals(List.of((byte) 4, (byte) 5, (byte) 6), toList(view.get(2)));
      view.set(4, new byte[] {9, 9, 9});
      assertEquals(List.of((byte) 9, (byte) 9, (byte) 9), toList(a.get(4)));
    }
  }

  private static List<Byte> toList(byte[] b) {
    List<Byte> l = new ArrayList<>();
    for (byte x : b) {
      l.add(x);
    }
    return l;
  }

  @Test
  void mmapOutlivesTheHandleButNotItsOwnClose() {
    var a = array(4, MapFlags.MMAPABLE);
    ArrayMmap<Long> view = a.mmap();
    a.close();
    view.set(1, 5L);
    assertEquals(5L, view.get(1));
    view.close();
    view.close();
    assertThrows(BpfClosedException.class, () -> view.get(1));
  }

  @Test
  void mmapOfAPlainArrayIsRefusedWithTheFlagToUse() {
    try (var a = array(4, 0)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, a::mmap);
      assertTrue(e.getMessage().contains("MMAPABLE"), e.getMessage());
    }
  }

  @Test
  void perCpuArrayHasOneSlotPerPossibleCpuAndSums() {
    MapSpec s = MapSpec.of("pcpu_array", MapType.PERCPU_ARRAY, 4, 4, 4, 0);
    try (var a = new BpfPerCpuArrayMap<>(MapFd.create(s), s, Codecs.U32)) {
      int cpus = Bpf.possibleCpus();
      assertEquals(cpus, a.cpus());
      PerCpuValues<Integer> zero = a.get(0);
      assertEquals(cpus, zero.size());
      assertEquals(0L, zero.sum(Integer::longValue));
      List<Integer> values = new ArrayList<>();
      for (int c = 0; c < cpus; c++) {
        values.add(c + 10);
      }
      a.set(1, PerCpuValues.of(values));
      assertEquals(values, a.get(1));
      long expected = values.stream().mapToLong(Integer::longValue).sum();
      assertEquals(expected, a.get(1).sum(Integer::longValue));
      assertEquals((int) expected, a.get(1).reduce(Integer::sum));
      a.setAll(2, 7);
      assertEquals(7L * cpus, a.get(2).sum(Integer::longValue));
      assertThrows(io.github.bpfmaps.errors.BpfValueException.class, () -> a.set(3, PerCpuValues.of(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9).subList(0, cpus + 1))));
      Map<Integer, PerCpuValues<Integer>> all = a.toMap();
      assertEquals(4, all.size());
      assertEquals(values, all.get(1));
    }
  }

  @Test
  void perCpuValuesAreWhatBpftoolDumpsPerCpu() {
    KernelTests.needBpftool();
    MapSpec s = MapSpec.of("pcpu_dump", MapType.PERCPU_ARRAY, 4, 4, 1, 0);
    try (var a = new BpfPerCpuArrayMap<>(MapFd.create(s), s, Codecs.U32)) {
      List<Integer> values = new ArrayList<>();
      for (int c = 0; c < a.cpus(); c++) {
        values.add(0x01020300 + c);
      }
      a.set(0, PerCpuValues.of(values));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> dump = (List<Map<String, Object>>) bpftoolJson("map", "dump", "id", String.valueOf(a.id()));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> perCpu = (List<Map<String, Object>>) dump.get(0).get("values");
      assertEquals(a.cpus(), perCpu.size());
      for (Map<String, Object> slot : perCpu) {
        int cpu = ((Long) slot.get("cpu")).intValue();
        int v = ByteBuffer.wrap(hexBytes(slot.get("value"))).order(ByteOrder.nativeOrder()).getInt();
        assertEquals(values.get(cpu), v);
      }
    }
  }

  @Test
  void perCpuHashRoundTripsAndBatchesWithPaddedSlots() {
    // 12-byte values: each CPU slot is padded to 16 bytes in the kernel's buffer
    MapSpec s = MapSpec.of("pcpu_hash", MapType.PERCPU_HASH, 4, 12, 64, 0);
    try (var m = new BpfPerCpuHashMap<>(MapFd.create(s), s, Codecs.U32, Codecs.bytes(12))) {
      for (int k = 0; k < 40; k++) {
        byte[] v = new byte[12];
        v[0] = (byte) k;
        v[11] = (byte) -k;
        m.setAll(k, v);
      }
      PerCpuValues<byte[]> got = m.get(39);
      assertEquals(m.cpus(), got.size());
      for (byte[] v : got) {
        assertEquals(39, v[0]);
        assertEquals(-39, v[11]);
      }
      Map<Integer, PerCpuValues<byte[]>> all = m.toMap();
      assertEquals(40, all.size());
      assertEquals(17, all.get(17).get(m.cpus() - 1)[0]);
      assertEquals(40, m.drain().size());
      assertTrue(m.keys().isEmpty());
    }
  }

  @Test
  void lruPerCpuHashUsesThePerCpuHandle() {
    MapSpec s = MapSpec.of("lru_pcpu", MapType.LRU_PERCPU_HASH, 8, 8, 16, 0);
    try (var m = new BpfPerCpuHashMap<>(MapFd.create(s), s, Codecs.U64, Codecs.U64)) {
      m.setAll(1L, 3L);
      assertEquals(3L * m.cpus(), m.get(1L).sum(Long::longValue));
    }
  }
}
