package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfPerCpuArrayMap;
import io.github.bpfmaps.runtime.maps.PerCpuValues;
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
 * {@code percpu_array_lookup}: PERCPU_ARRAY of 1024, never written, lookup of index {@code i %
 * 1024} into one 16-byte slot per possible CPU, decoded as a {@link PerCpuValues} of {@link Pair}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PerCpuArrayMapBench {
  private BpfPerCpuArrayMap<Pair> map;
  private int i;
  private long[] perCpu;

  @Setup(Level.Trial)
  public void setUp() {
    MapSpec s = Shapes.spec("percpu_array", MapType.PERCPU_ARRAY, Shapes.ARRAY_ENTRIES, 0);
    map = new BpfPerCpuArrayMap<>(MapFd.create(s), s, PairCodec.INSTANCE);
    perCpu = new long[map.cpus()];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    map.close();
  }

  /** Every CPU's value at the next index; the first CPU's first u64, as the C side reads. */
  @Benchmark
  public long lookup() {
    PerCpuValues<Pair> v = map.getAt(i++ & Shapes.ARRAY_MASK);
    return v.get(0).a();
  }

  /**
   * The same lookup, summing field {@code a} over every CPU without decoding ({@link
   * BpfPerCpuArrayMap#sumLongAt}): Java only (no C row), to show 0 B/op in the allocation table.
   */
  @Benchmark
  public long sumField() {
    return map.sumLongAt(i++ & Shapes.ARRAY_MASK, 0);
  }

  /** The same lookup, field {@code b} of every CPU into a reused array ({@link BpfPerCpuArrayMap#getLongsAt}). */
  @Benchmark
  public long fillField() {
    map.getLongsAt(i++ & Shapes.ARRAY_MASK, 8, perCpu);
    return perCpu[0];
  }
}
