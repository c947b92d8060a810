package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.spec.MapSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A HASH of 65536 {@code u32 -> u64} counters read and written through the primitive accessors
 * ({@code getLong}/{@code setLong}), the allocation-free path for primitive values. Not in the C
 * table (its maps have 16-byte values); run with {@code -prof gc} for the zero bytes/op figure, and
 * next to {@code HashMapBench.lookup} for the time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PrimitiveValueBench {
  private BpfHashMap<Integer, Long> map;
  private final Integer[] keys = new Integer[Shapes.SMALL_HASH_ENTRIES];
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    MapSpec s = MapSpec.of("counters", MapType.HASH, 4, 8, Shapes.SMALL_HASH_ENTRIES, 0);
    map = new BpfHashMap<>(MapFd.create(s), s, Codecs.U32, Codecs.U64);
    for (int k = 0; k < keys.length; k++) {
      keys[k] = k;
      map.setLong(keys[k], 1_000_000L + k);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    map.close();
  }

  /** {@code getLong(key, absent)} of a present key whose value a {@code Long} would box. */
  @Benchmark
  public long getLong() {
    return map.getLong(keys[i++ & Shapes.SMALL_HASH_MASK], -1);
  }

  /** {@code setLong(key, value)}: no box for the value. */
  @Benchmark
  public void setLong() {
    int k = i++ & Shapes.SMALL_HASH_MASK;
    map.setLong(keys[k], 1_000_000L + i);
  }
}
