package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.Asm;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.PerfEvent;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every batch operation ({@code putAll}, {@code removeAll}, {@code clear}, {@code toMap}/{@code
 * forEach}, {@code drain}) on every keyed map type the runtime can create, against the real kernel.
 * Most types have no {@code BPF_MAP_*_BATCH} command: the kernel answers ENOTSUPP without writing
 * {@code batch.count} back, so a library that trusts that field claims entries were written or
 * deleted when none were, and never falls back to one call per element.
 *
 * <p>The rule each row checks: an operation either does everything it promises, or throws an
 * error that says exactly how much was done (which the test verifies against the map itself).
 */
class BatchFallbackTest {
  private static final int XDP = 6;
  private static final List<Integer> FDS = new ArrayList<>();
  private static final List<MapFd> INNER = new ArrayList<>();
  private static final List<Integer> INNER_FDS = new ArrayList<>();
  private static int progFd = -1;
  private static int perfFd = -1;

  /** Little-endian integer of any width up to 8 bytes: one codec for every row's keys and values. */
  record IntBytes(int size) implements Codec<Long> {
    @Override public int byteSize() { return size; }
    @Override public void encode(Long v, ByteBuffer b, int o) {
      for (int i = 0; i < size; i++) {
        b.put(o + i, (byte) (i < 8 ? v >>> (8 * i) : 0));
      }
    }
    @Override public Long decode(ByteBuffer b, int o) {
      long v = 0;
      for (int i = 0; i < Math.min(size, 8); i++) {
        v |= (b.get(o + i) & 0xffL) << (8 * i);
      }
      return v;
    }
  }

  /**
   * One map type. {@code value} gives the value to write at a key; {@code writable} says whether
   * the kernel accepts that value from user space here (sockets, AF_XDP sockets, cgroups and
   * stack traces cannot be made by this test, so those rows write a value the kernel refuses and
   * check that the refusal is reported honestly); {@code deletable} whether entries can be deleted.
   */
  record Row(MapType type, int keySize, int valueSize, int maxEntries, boolean writable,
      boolean deletable, LongUnaryOperator keyOf, LongUnaryOperator value) {
    @Override public String toString() { return type.name(); }

    MapSpec spec() {
      MapSpec inner = type.mapOfMaps() ? MapSpec.of("bf_inner", MapType.ARRAY, 4, 4, 1, 0) : null;
      int flags = type == MapType.LPM_TRIE ? MapFlags.NO_PREALLOC : 0;
      return MapSpec.of("bf_" + type.name().toLowerCase(), type, keySize, valueSize, maxEntries, flags,
          Pinning.NONE, inner);
    }

    BpfDeletableMap<Long, Long> create() {
      MapSpec s = spec();
      return new BpfDeletableMap<>(MapFd.create(s), s, new IntBytes(keySize), new IntBytes(valueSize));
    }

    /** Two entries (keys 0 and 1, as this type spells them). */
    Map<Long, Long> entries() {
      Map<Long, Long> m = new LinkedHashMap<>();
      for (long i = 0; i < 2; i++) {
        m.put(keyOf.applyAsLong(i), value.applyAsLong(i));
      }
      return m;
    }
  }

  private static final long NOT_AN_FD = 0x7fff_fff0L;

  static Stream<Row> rows() {
    LongUnaryOperator index = i -> i;
    LongUnaryOperator any = i -> 100 + i;
    // LPM key: __u32 prefixlen (32) then 4 address bytes
    LongUnaryOperator prefix = i -> 32 | ((10L | (i << 24)) << 32);
    return Stream.of(
        new Row(MapType.HASH, 4, 8, 8, true, true, index, any),
        new Row(MapType.LRU_HASH, 4, 8, 8, true, true, index, any),
        new Row(MapType.ARRAY, 4, 8, 4, true, false, index, any),
        new Row(MapType.LPM_TRIE, 8, 4, 8, true, true, prefix, any),
        new Row(MapType.PROG_ARRAY, 4, 4, 4, true, true, index, i -> progFd),
        new Row(MapType.PERF_EVENT_ARRAY, 4, 4, 4, true, true, index, i -> perfFd),
        new Row(MapType.DEVMAP, 4, 4, 4, true, true, index, i -> 1), // ifindex 1: lo
        new Row(MapType.DEVMAP_HASH, 4, 4, 4, true, true, index, i -> 1),
        new Row(MapType.CPUMAP, 4, 4, Math.max(2, Bpf.possibleCpus()), true, true,
            i -> i % Bpf.possibleCpus(), i -> 192), // value: queue size
        new Row(MapType.ARRAY_OF_MAPS, 4, 4, 4, true, true, index, i -> INNER_FDS.get((int) i)),
        new Row(MapType.HASH_OF_MAPS, 4, 4, 4, true, true, index, i -> INNER_FDS.get((int) i)),
        new Row(MapType.SOCKMAP, 4, 8, 4, false, true, index, i -> NOT_AN_FD),
        new Row(MapType.SOCKHASH, 4, 8, 4, false, true, index, i -> NOT_AN_FD),
        new Row(MapType.XSKMAP, 4, 4, 4, false, true, index, i -> NOT_AN_FD),
        new Row(MapType.REUSEPORT_SOCKARRAY, 4, 8, 4, false, true, index, i -> NOT_AN_FD),
        new Row(MapType.CGROUP_ARRAY, 4, 4, 4, false, true, index, i -> NOT_AN_FD),
        new Row(MapType.STACK_TRACE, 4, 32, 4, false, true, index, any),
        new Row(MapType.CGROUP_STORAGE, 8, 8, 0, false, false, index, any))
        .filter(r -> r.type != MapType.CPUMAP || Bpf.possibleCpus() >= 2);
  }

  @BeforeAll
  static void resources() {
    if (!Bpf.available()) {
      return;
    }
    progFd = BpfSys.progLoad(new ProgLoad().type(XDP).name("bf_prog")
        .insns(new Asm().movImm(0, 2).exit().bytes()));
    FDS.add(progFd);
    PerfEvent.Attr a = new PerfEvent.Attr();
    a.type = PerfEvent.TYPE_SOFTWARE;
    a.config = PerfEvent.COUNT_SW_BPF_OUTPUT;
    a.samplePeriod = 1;
    a.sampleType = PerfEvent.SAMPLE_RAW;
    perfFd = PerfEvent.open(a, -1, 0, -1, 0, "bf_perf");
    FDS.add(perfFd);
    for (int i = 0; i < 2; i++) {
      MapFd inner = MapFd.create(MapSpec.of("bf_inner" + i, MapType.ARRAY, 4, 4, 1, 0));
      INNER.add(inner);
      INNER_FDS.add(inner.acquire()); // held until release(): the raw fd is the value written
    }
  }

  @AfterAll
  static void release() {
    for (int fd : FDS) {
      LibC.close(fd);
    }
    for (MapFd m : INNER) {
      m.release(); // the acquire in resources()
      m.close();
    }
    FDS.clear();
    INNER.clear();
    INNER_FDS.clear();
  }

  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  /**
   * The types whose values user space cannot read back ({@code map_lookup_elem} answers ENOTSUPP
   * or EOPNOTSUPP: perf event and cgroup arrays, XSKMAP).
   */
  private static boolean lookable(MapType t) {
    return t != MapType.PERF_EVENT_ARRAY && t != MapType.CGROUP_ARRAY && t != MapType.XSKMAP;
  }

  /**
   * Which of the row's two keys are in the map: by lookup, or for types without user-space lookup
   * by deleting them (ENOENT: absent), so this is the last thing a test does with the map. XSKMAP,
   * which this test cannot fill and whose delete of an empty slot succeeds, is never reported full.
   */
  private static Set<Long> present(BpfDeletableMap<Long, Long> m, Row r) {
    Set<Long> out = new TreeSet<>();
    for (long i = 0; i < 2; i++) {
      long k = r.keyOf.applyAsLong(i);
      boolean in = lookable(r.type) ? m.contains(k) : r.type != MapType.XSKMAP && m.remove(k);
      if (in) {
        out.add(k);
      }
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("rows")
  void putAllWritesEveryEntryOrSaysTruthfullyThatNoneWereWritten(Row r) {
    try (var m = r.create()) {
      Map<Long, Long> e = r.entries();
      if (r.writable) {
        assertEquals(2, m.putAll(e, UpdateFlag.ANY));
        assertEquals(e.keySet(), present(m, r));
      } else {
        BpfException ex = assertThrows(BpfException.class, () -> m.putAll(e, UpdateFlag.ANY));
        assertTrue(ex.getMessage().contains("0 of 2 entries written"), ex.getMessage());
        assertEquals(Set.of(), present(m, r));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("rows")
  void putAllFailureHalfWaySaysExactlyHowManyWereWritten(Row r) {
    if (!r.writable || r.type == MapType.HASH || r.type == MapType.LRU_HASH
        || r.type == MapType.ARRAY || r.type == MapType.HASH_OF_MAPS) {
      return; // no value these types refuse after a good one (besides the unwritable rows above)
    }
    try (var m = r.create()) {
      Map<Long, Long> e = new LinkedHashMap<>();
      e.put(r.keyOf.applyAsLong(0), r.value.applyAsLong(0));
      if (r.type == MapType.LPM_TRIE) {
        e.put(r.keyOf.applyAsLong(1) + 1, 1L); // prefix length 33 on a 32-bit trie: EINVAL
      } else {
        e.put(r.keyOf.applyAsLong(1), r.type == MapType.CPUMAP ? 1L << 30 : NOT_AN_FD);
      }
      BpfException ex = assertThrows(BpfException.class, () -> m.putAll(e, UpdateFlag.ANY));
      assertTrue(ex.getMessage().contains("1 of 2 entries written"), ex.getMessage());
      assertEquals(Set.of(r.keyOf.applyAsLong(0)), present(m, r));
    }
  }

  @ParameterizedTest
  @MethodSource("rows")
  void removeAllDeletesEveryKeyOrSaysTruthfullyThatNoneWereDeleted(Row r) {
    try (var m = r.create()) {
      Map<Long, Long> e = r.entries();
      if (r.writable) {
        m.putAll(e, UpdateFlag.ANY);
      }
      List<Long> keys = new ArrayList<>(e.keySet());
      if (r.deletable) {
        int n = m.removeAll(keys);
        assertEquals(Set.of(), present(m, r));
        assertTrue(n <= 2, "removeAll claims " + n + " of 2 keys deleted");
        if (r.writable && r.type != MapType.DEVMAP && r.type != MapType.XSKMAP) {
          assertEquals(2, n); // DEVMAP and XSKMAP report an empty slot's delete as a success
        }
      } else {
        BpfException ex = assertThrows(BpfException.class, () -> m.removeAll(keys));
        assertTrue(ex.getMessage().contains("0 of 2 keys deleted"), ex.getMessage());
        if (r.writable) {
          assertEquals(e.keySet(), present(m, r));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("rows")
  void clearEmptiesEveryMapType(Row r) {
    try (var m = r.create()) {
      if (r.writable) {
        m.putAll(r.entries(), UpdateFlag.ANY);
      }
      m.clear();
      if (r.type == MapType.ARRAY) {
        for (long i = 0; i < r.maxEntries; i++) {
          assertEquals(0L, m.get(i)); // arrays cannot delete: clear writes zeros
        }
      } else {
        assertEquals(Set.of(), present(m, r));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("rows")
  void toMapAndDrainReadWhatWasWritten(Row r) {
    try (var m = r.create()) {
      Map<Long, Long> e = r.entries();
      if (r.writable) {
        m.putAll(e, UpdateFlag.ANY);
      }
      if (!lookable(r.type)) {
        // the kernel cannot read these values out: refused, and said so, not an empty map
        BpfException ex = assertThrows(BpfException.class, m::toMap);
        assertTrue(ex.getMessage().contains("LOOKUP"), ex.getMessage());
        return;
      }
      Map<Long, Long> read = m.toMap();
      Set<Long> expected = r.writable ? e.keySet() : Set.of();
      Set<Long> keys = new TreeSet<>(read.keySet());
      if (isArrayLike(r.type)) {
        keys.retainAll(present(m, r)); // slot-array types list every index, empty or not
      }
      assertEquals(new TreeSet<>(expected), keys);
      if (r.deletable) {
        Map<Long, Long> drained = m.drain();
        assertTrue(drained.keySet().containsAll(expected), drained.toString());
        assertEquals(Set.of(), present(m, r));
      } else if (r.type == MapType.ARRAY) {
        assertThrows(BpfException.class, m::drain);
      }
    }
  }

  /** Types whose next-key walk lists every index up to max_entries, filled or not. */
  private static boolean isArrayLike(MapType t) {
    return t.indexed() || t == MapType.DEVMAP || t == MapType.CPUMAP || t == MapType.XSKMAP
        || t == MapType.SOCKMAP || t == MapType.REUSEPORT_SOCKARRAY;
  }

  @Test
  void devmapClearWorksThoughTheKernelHasNoBatchCommandForIt() {
    Row r = rows().filter(x -> x.type == MapType.DEVMAP).findFirst().orElseThrow();
    try (var m = r.create()) {
      m.set(0L, 1L);
      m.set(3L, 1L);
      m.clear();
      assertNull(m.get(0L));
      assertNull(m.get(3L));
      assertFalse(m.contains(3L));
      m.set(2L, 1L);
      assertNotNull(m.get(2L));
    }
  }
}
