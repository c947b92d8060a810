package io.github.bpfmaps.bench;

import io.github.bpfmaps.runtime.maps.ArrayMmap;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
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
 * {@code mmapable_array_lookup}, {@code mmap_array_read}, {@code mmap_array_write}: an ARRAY of 1024
 * created with {@code BPF_F_MMAPABLE}, read with a system call and through {@link ArrayMmap}; the
 * {@code _fields} rows do the same work with the field accessors (no record decoded or built), and
 * {@code mmap_array_atomic_add} adds 1 to the first u64 of each element with {@link
 * ArrayMmap#addLong} (C: {@code __sync_fetch_and_add}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MmapArrayBench {
  private BpfArrayMap<Pair> map;
  private ArrayMmap<Pair> mmap;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    map = Shapes.array("mmap_array", true);
    Shapes.fill(map, Shapes.pairs(Shapes.ARRAY_ENTRIES));
    mmap = map.mmap();
    Pair p = mmap.get(5);
    if (p.a() != 5 || p.b() != ~5L) {
      throw new IllegalStateException("mmap_array: mmapped element 5 is " + p);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    mmap.close();
    map.close();
  }

  /** {@code BPF_MAP_LOOKUP_ELEM} of index {@code i % 1024}. */
  @Benchmark
  public long syscallLookup() {
    return map.getAt(i++ & Shapes.ARRAY_MASK).a();
  }

  /**
   * Both u64 of every element from shared memory, summed (as the C side does): one invocation walks
   * the 1024 elements, so that JMH's per-invocation cost (about 1 ns, more than the access) is
   * spread as the C loop's is.
   */
  @Benchmark
  @OperationsPerInvocation(Shapes.ARRAY_ENTRIES)
  public long read() {
    long s = 0;
    for (int k = 0; k < Shapes.ARRAY_ENTRIES; k++) {
      Pair p = mmap.get(k);
      s += p.a() + p.b();
    }
    return s;
  }

  /** Stores {@code {i, ~i}} into every element in shared memory. */
  @Benchmark
  @OperationsPerInvocation(Shapes.ARRAY_ENTRIES)
  public void write() {
    int base = i;
    for (int k = 0; k < Shapes.ARRAY_ENTRIES; k++) {
      mmap.set(k, new Pair(base + k, ~(long) (base + k)));
    }
    i = base + Shapes.ARRAY_ENTRIES;
  }

  /** Both u64 of every element by offset, summed: {@link #read} without the record. */
  @Benchmark
  @OperationsPerInvocation(Shapes.ARRAY_ENTRIES)
  public long readFields() {
    long s = 0;
    for (int k = 0; k < Shapes.ARRAY_ENTRIES; k++) {
      s += mmap.getLong(k, 0) + mmap.getLong(k, 8);
    }
    return s;
  }

  /** Stores {@code i} and {@code ~i} into every element by offset. */
  @Benchmark
  @OperationsPerInvocation(Shapes.ARRAY_ENTRIES)
  public void writeFields() {
    int base = i;
    for (int k = 0; k < Shapes.ARRAY_ENTRIES; k++) {
      mmap.setLong(k, 0, base + k);
      mmap.setLong(k, 8, ~(long) (base + k));
    }
    i = base + Shapes.ARRAY_ENTRIES;
  }

  /** Atomically adds 1 to the first u64 of every element. */
  @Benchmark
  @OperationsPerInvocation(Shapes.ARRAY_ENTRIES)
  public void atomicAdd() {
    for (int k = 0; k < Shapes.ARRAY_ENTRIES; k++) {
      mmap.addLong(k, 0, 1);
    }
  }
}
