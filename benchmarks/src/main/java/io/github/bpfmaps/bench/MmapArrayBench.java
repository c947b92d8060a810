package io.github.bpfmaps.bench;

import io.github.bpfmaps.runtime.maps.ArrayMmap;
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

  /** Both u64 of element {@code i % 1024} from shared memory, summed (as the C side does). */
  @Benchmark
  public long read() {
    Pair p = mmap.get(i++ & Shapes.ARRAY_MASK);
    return p.a() + p.b();
  }

  /** Stores {@code {i, ~i}} into element {@code i % 1024} in shared memory. */
  @Benchmark
  public void write() {
    int k = i++;
    mmap.set(k & Shapes.ARRAY_MASK, new Pair(k, ~(long) k));
  }

  /** Both u64 of element {@code i % 1024} by offset, summed. */
  @Benchmark
  public long readFields() {
    int k = i++ & Shapes.ARRAY_MASK;
    return mmap.getLong(k, 0) + mmap.getLong(k, 8);
  }

  /** Stores {@code i} and {@code ~i} into element {@code i % 1024} by offset. */
  @Benchmark
  public void writeFields() {
    int k = i++;
    mmap.setLong(k & Shapes.ARRAY_MASK, 0, k);
    mmap.setLong(k & Shapes.ARRAY_MASK, 8, ~(long) k);
  }

  /** Atomically adds 1 to the first u64 of element {@code i % 1024}. */
  @Benchmark
  public long atomicAdd() {
    return mmap.addLong(i++ & Shapes.ARRAY_MASK, 0, 1);
  }
}
