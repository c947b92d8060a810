package io.github.bpfmaps.bench;

import io.github.bpfmaps.runtime.UpdateFlag;
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
 * {@code hash_iter_batch_1m}, {@code hash_iter_nextkey_1m}, {@code hash_update_batch_1m}: whole
 * passes over a HASH of 1,000,000 entries, reported per entry. Every value is decoded into a {@link
 * Pair} and its first u64 read; each pass checks that it saw every entry.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BigHashBench {
  private BpfHashMap<Integer, Pair> big;
  private Map<Integer, Pair> data;
  private long seen;
  private long sum;

  @Setup(Level.Trial)
  public void setUp() {
    data = Shapes.pairs(Shapes.BIG_ENTRIES);
    big = Shapes.hash("bench_hash_1m", Shapes.BIG_ENTRIES);
    Shapes.fill(big, data);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    big.close();
  }

  private void accept(Integer key, Pair value) {
    sum += value.a();
    seen++;
  }

  /** {@link BpfHashMap#forEachEntry}: {@code BPF_MAP_LOOKUP_BATCH} chunks, keys and values decoded. */
  @Benchmark
  @OperationsPerInvocation(Shapes.BIG_ENTRIES)
  public long iterateBatch() {
    seen = 0;
    sum = 0;
    big.forEachEntry(this::accept);
    Shapes.checkSeen("hash_iter_batch_1m", seen, Shapes.BIG_ENTRIES);
    return sum;
  }

  /** The map's iterator: {@code BPF_MAP_GET_NEXT_KEY} and a lookup per entry. */
  @Benchmark
  @OperationsPerInvocation(Shapes.BIG_ENTRIES)
  public long iterateNextKey() {
    long n = 0;
    long s = 0;
    for (Map.Entry<Integer, Pair> e : big) {
      s += e.getValue().a();
      n++;
    }
    Shapes.checkSeen("hash_iter_nextkey_1m", n, Shapes.BIG_ENTRIES);
    return s;
  }

  /** A new, empty 1M HASH before every invocation (untimed, as on the C side). */
  @State(Scope.Thread)
  public static class Fresh {
    BpfHashMap<Integer, Pair> map;

    @Setup(Level.Invocation)
    public void create() {
      if (map != null) {
        map.close();
      }
      map = Shapes.hash("bench_upd_1m", Shapes.BIG_ENTRIES);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (map != null) {
        map.close();
      }
    }
  }

  /** {@link BpfHashMap#putAll} of all 1,000,000 entries into an empty map: batch updates. */
  @Benchmark
  @OperationsPerInvocation(Shapes.BIG_ENTRIES)
  public int updateBatch(Fresh fresh) {
    int n = fresh.map.putAll(data, UpdateFlag.ANY);
    Shapes.checkSeen("hash_update_batch_1m", n, Shapes.BIG_ENTRIES);
    return n;
  }
}
