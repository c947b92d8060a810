package io.github.bpfmaps.bench;

import io.github.bpfmaps.runtime.maps.BpfArrayMap;
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

/** {@code array_lookup}: ARRAY of 1024, lookup of index {@code i % 1024}, one system call each. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ArrayMapBench {
  private BpfArrayMap<Pair> map;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    map = Shapes.array("array_lookup", false);
    Shapes.fill(map, Shapes.pairs(Shapes.ARRAY_ENTRIES));
    Pair p = map.getAt(5);
    if (p == null || p.a() != 5 || p.b() != ~5L) {
      throw new IllegalStateException("array_lookup: index 5 is " + p);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    map.close();
  }

  /** The value at the next index; the C side reads its first u64, so does this. */
  @Benchmark
  public long lookup() {
    Pair p = map.getAt(i++ & Shapes.ARRAY_MASK);
    return p.a();
  }
}
