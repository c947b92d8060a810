package io.github.bpfmaps.bench;

import io.github.bpfmaps.runtime.maps.BpfHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code hash_lookup}, {@code hash_update}, {@code hash_delete}: a full HASH of 65536 (max 65536,
 * preallocated), one system call per operation.
 *
 * <p>Keys and update values come from arrays built in the setup: boxing an {@code int} key above
 * 127 or building the {@code Pair} is the caller's allocation, not the handle's, and {@code -prof
 * gc} should show what the handle allocates. The kernel's work is the C side's: key {@code i %
 * 65536}; update values are {@code {k, ~k}} for that key (the C side writes {@code {i, ~i}}: the
 * same 16-byte copy).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HashMapBench {
  private BpfHashMap<Integer, Pair> map;
  private final Integer[] keys = new Integer[Shapes.SMALL_HASH_ENTRIES];
  private final Pair[] values = new Pair[Shapes.SMALL_HASH_ENTRIES];
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    map = Shapes.hash("hash_bench", Shapes.SMALL_HASH_ENTRIES);
    Shapes.fill(map, Shapes.pairs(Shapes.SMALL_HASH_ENTRIES));
    for (int k = 0; k < keys.length; k++) {
      keys[k] = k;
      values[k] = Pair.of(k);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    map.close();
  }

  /** Lookup of key {@code i % 65536}, always present. */
  @Benchmark
  public long lookup() {
    Pair p = map.get(keys[i++ & Shapes.SMALL_HASH_MASK]);
    return p.a();
  }

  /** Update of key {@code i % 65536} to {@code {i, ~i}} with {@code BPF_ANY}, always present. */
  @Benchmark
  public void update() {
    int k = i++ & Shapes.SMALL_HASH_MASK;
    map.set(keys[k], values[k]);
  }

  /**
   * The map of the delete benchmark, refilled before every invocation (the C side's untimed refill
   * before each round: one batch update of all keys), so that every pass deletes 65536 present keys.
   * A state of its own so that the per-invocation refill does not touch lookup and update.
   */
  @State(Scope.Thread)
  public static class Full {
    BpfHashMap<Integer, Pair> map;
    Map<Integer, Pair> data;
    final Integer[] keys = new Integer[Shapes.SMALL_HASH_ENTRIES];

    @Setup(Level.Trial)
    public void setUp() {
      map = Shapes.hash("hash_delete", Shapes.SMALL_HASH_ENTRIES);
      data = Shapes.pairs(Shapes.SMALL_HASH_ENTRIES);
      for (int k = 0; k < keys.length; k++) {
        keys[k] = k;
      }
    }

    @Setup(Level.Invocation)
    public void refill() {
      Shapes.fill(map, data);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      map.close();
    }
  }

  /** Deletes keys {@code 0 .. 65535} of the full map, as one round of the C side does. */
  @Benchmark
  @OperationsPerInvocation(Shapes.SMALL_HASH_ENTRIES)
  public void delete(Full full) {
    BpfHashMap<Integer, Pair> m = full.map;
    for (int k = 0; k < Shapes.SMALL_HASH_ENTRIES; k++) {
      if (!m.remove(full.keys[k])) {
        throw new IllegalStateException("hash_delete: key " + k + " was absent");
      }
    }
  }
}
