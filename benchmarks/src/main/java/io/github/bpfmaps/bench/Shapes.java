package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.runtime.maps.BpfKeyedMap;
import io.github.bpfmaps.spec.MapSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The map shapes of {@code benchmarks/README.md} ("Shapes"), the same as {@code c/mapbench.c}: key
 * {@code u32}, value {@link Pair} (16 bytes), flags 0 unless said otherwise, prefilled maps hold
 * {@code k -> {k, ~k}} for {@code k} in {@code 0 .. entries-1}, written with batch updates.
 */
final class Shapes {
  private Shapes() {}

  /** ARRAY and PERCPU_ARRAY size; a power of two, so {@code i & ARRAY_MASK} cycles the keys. */
  static final int ARRAY_ENTRIES = 1024;
  static final int ARRAY_MASK = ARRAY_ENTRIES - 1;
  /** The small HASH: full, keys cycle with {@code i & SMALL_HASH_MASK}. */
  static final int SMALL_HASH_ENTRIES = 65536;
  static final int SMALL_HASH_MASK = SMALL_HASH_ENTRIES - 1;
  /**
   * The big HASH. Fixed at 1,000,000 because {@code @OperationsPerInvocation} is a constant; the C
   * side's {@code BENCH_BIG_ENTRIES} must stay at its default for the ratio to compare like with like.
   */
  static final int BIG_ENTRIES = 1_000_000;

  static MapSpec spec(String name, MapType type, int entries, int flags) {
    return MapSpec.of(name, type, 4, 16, entries, flags);
  }

  static BpfHashMap<Integer, Pair> hash(String name, int entries) {
    MapSpec s = spec(name, MapType.HASH, entries, 0);
    return new BpfHashMap<>(MapFd.create(s), s, Codecs.U32, PairCodec.INSTANCE);
  }

  static BpfArrayMap<Pair> array(String name, boolean mmapable) {
    MapSpec s = spec(name, MapType.ARRAY, ARRAY_ENTRIES, mmapable ? MapFlags.MMAPABLE : 0);
    return new BpfArrayMap<>(MapFd.create(s), s, PairCodec.INSTANCE);
  }

  /** {@code k -> {k, ~k}} for {@code k < n}, in key order (an Integer key hashes to itself). */
  static Map<Integer, Pair> pairs(int n) {
    Map<Integer, Pair> m = new HashMap<>(n * 2);
    for (int k = 0; k < n; k++) {
      m.put(k, Pair.of(k));
    }
    return m;
  }

  /** Writes {@code data} with batch updates and checks that every entry arrived. */
  static void fill(BpfKeyedMap<Integer, Pair> map, Map<Integer, Pair> data) {
    int n = map.putAll(data, UpdateFlag.ANY);
    if (n != data.size()) {
      throw new IllegalStateException(map.name() + ": wrote " + n + " of " + data.size());
    }
  }

  /** Fails the run when a pass saw another number of entries than the map holds. */
  static void checkSeen(String what, long seen, long expected) {
    if (seen != expected) {
      throw new IllegalStateException(what + ": saw " + seen + " entries, the map holds " + expected);
    }
  }
}
