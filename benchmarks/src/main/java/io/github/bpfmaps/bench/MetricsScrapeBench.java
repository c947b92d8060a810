package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.metrics.Counter;
import io.github.bpfmaps.annotations.metrics.Tag;
import io.github.bpfmaps.micrometer.BpfMeterBinder;
import io.github.bpfmaps.micrometer.BpfMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The cost of one metrics scrape of a 100,000-entry HASH whose key has two tag components (an
 * IPv4 address and a port: 100,000 series), against the same map read by a plain batch read with
 * no metrics and by {@code bpftool map dump}. One invocation reads the whole map; the score is per
 * entry ({@code @OperationsPerInvocation}), as {@code bench.sh}'s {@code metrics_scrape_100k} row
 * and the C walk of {@code c/mapbench.c} report it ({@code -prof gc}'s {@code gc.alloc.rate.norm}
 * likewise: bytes per entry).
 *
 * <ul>
 *   <li>{@code batchRead}: {@code forEachEntry} over the map, keys and values decoded (the floor);
 *   <li>{@code scrapeRead}: the binder's read: the same batch read, plus the series update;
 *   <li>{@code prometheusText}: the registry's text for the 200,000 series (no map read), for scale;
 *   <li>{@code bpftoolDump}: {@code bpftool map dump id N}, a whole process, output discarded;
 *   <li>{@code paired}: {@code batchRead} then {@code scrapeRead}, in turn in one fork, each half timed
 *       ({@code batchNs}, {@code scrapeNs}): the ratio least moved by other load.
 * </ul>
 *
 * <p>The binder (200,000 meters, seconds to register) is a state of its own, so only the
 * benchmarks that use it pay for building it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(MetricsScrapeBench.ENTRIES)
public class MetricsScrapeBench {
  static final int ENTRIES = 100_000;

  /** The benchmark map: (saddr, port) → (packets, bytes), both key components tags. */
  @BpfMap(type = MapType.HASH, maxEntries = ENTRIES, name = "bench_mflows")
  public record ScrapeFlows(ScrapeKey key, ScrapeStats value) {}

  public record ScrapeKey(@Tag("src") @NetworkOrder int saddr, @Tag("port") @Unsigned short port) {}

  public record ScrapeStats(@Counter("bench.packets") @Unsigned long packets,
      @Counter(value = "bench", baseUnit = "bytes") @Unsigned long bytes) {}

  private MetricsScrapeBench_ScrapeFlowsMap map;
  private long sum;

  /** The map bound to a Prometheus registry: one series per entry. */
  @State(Scope.Benchmark)
  public static class Bound {
    PrometheusMeterRegistry registry;
    BpfMeterBinder binder;

    @Setup(Level.Trial)
    public void bind(MetricsScrapeBench bench) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // a day: meter reads never read the map; scrapeRead reads it explicitly
      binder = BpfMetrics.bind(registry, bench.map, ScrapeFlows.class,
          o -> o.maxSeries(2 * ENTRIES).maxAge(Duration.ofDays(1)));
      if (binder.seriesCount() != ENTRIES) {
        throw new IllegalStateException("expected " + ENTRIES + " series, got " + binder.seriesCount());
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      binder.close();
      registry.close();
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    map = MetricsScrapeBench_ScrapeFlowsMap.create();
    Map<ScrapeKey, ScrapeStats> data = new LinkedHashMap<>();
    for (int i = 0; i < ENTRIES; i++) {
      data.put(new ScrapeKey(0x0a000000 + i / 100, (short) (i % 100)), new ScrapeStats(i, 64L * i));
    }
    map.putAll(data, io.github.bpfmaps.runtime.UpdateFlag.ANY);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    map.close();
  }

  @Benchmark
  public long batchRead() {
    sum = 0;
    map.forEachEntry((k, v) -> sum += v.packets());
    return sum;
  }

  @Benchmark
  public int scrapeRead(Bound b) {
    b.binder.refresh();
    return b.binder.seriesCount();
  }

  /** Time spent in each half of {@link #paired}, summed over an iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Split {
    public long batchNs;
    public long scrapeNs;

    @Setup(Level.Iteration)
    public void reset() {
      batchNs = 0;
      scrapeNs = 0;
    }
  }

  /**
   * A plain batch read, then a scrape, in turn in one JVM: each scrape is compared with a batch read
   * taken milliseconds before, which a shared machine's drifting speed (two forks run half a
   * minute apart) cannot skew. {@code scrapeNs / batchNs} is the ratio; the score is both per entry.
   */
  @Benchmark
  public long paired(Bound b, Split split) {
    long t0 = System.nanoTime();
    long s = batchRead();
    long t1 = System.nanoTime();
    b.binder.refresh();
    long t2 = System.nanoTime();
    split.batchNs += t1 - t0;
    split.scrapeNs += t2 - t1;
    return s + b.binder.seriesCount();
  }

  @Benchmark
  public int prometheusText(Bound b) {
    return b.registry.scrape().length();
  }

  @Benchmark
  public int bpftoolDump() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bpftool", "map", "dump", "id", Integer.toString(map.id()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor();
  }
}
