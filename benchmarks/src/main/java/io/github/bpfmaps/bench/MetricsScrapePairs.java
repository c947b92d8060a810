package io.github.bpfmaps.bench;

import io.github.bpfmaps.bench.MetricsScrapeBench.ScrapeFlows;
import io.github.bpfmaps.bench.MetricsScrapeBench.ScrapeKey;
import io.github.bpfmaps.bench.MetricsScrapeBench.ScrapeStats;
import io.github.bpfmaps.micrometer.BpfMeterBinder;
import io.github.bpfmaps.micrometer.BpfMetrics;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link MetricsScrapeBench}'s map, read in turn by a plain batch read and by the binder, {@code
 * rounds} times in one JVM (default 30): the quick check used to compare designs of the binder
 * (put a variant's classes first on the class path). Prints, over the second half of the rounds,
 * both reads' minimum and median in ms, the median of the per-round ratios, the ratio of the minima,
 * and the bytes the last scrape allocated per entry.
 *
 * <p>{@code java -cp <variant classes>:benchmarks/target/classes:<classpath> io.github.bpfmaps.bench.MetricsScrapePairs [rounds]}
 */
public final class MetricsScrapePairs {
  private MetricsScrapePairs() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int n = MetricsScrapeBench.ENTRIES;
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MetricsScrapeBench_ScrapeFlowsMap map = MetricsScrapeBench_ScrapeFlowsMap.create()) {
      Map<ScrapeKey, ScrapeStats> data = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        data.put(new ScrapeKey(0x0a000000 + i / 100, (short) (i % 100)), new ScrapeStats(i, 64L * i));
      }
      map.putAll(data, UpdateFlag.ANY);
      long t0 = System.nanoTime();
      try (BpfMeterBinder binder = BpfMetrics.bind(registry, map, ScrapeFlows.class,
          o -> o.maxSeries(2 * n).maxAge(Duration.ofDays(1)))) {
        System.out.printf("bind %.0f ms, %d series%n", (System.nanoTime() - t0) / 1e6, binder.seriesCount());
        double[] batch = new double[rounds];
        double[] scrape = new double[rounds];
        long[] sum = {0};
        long allocated = 0;
        for (int r = 0; r < rounds; r++) {
          t0 = System.nanoTime();
          map.forEachEntry((k, v) -> sum[0] += v.packets());
          long t1 = System.nanoTime();
          long a0 = threads.getCurrentThreadAllocatedBytes();
          binder.refresh();
          long t2 = System.nanoTime();
          allocated = threads.getCurrentThreadAllocatedBytes() - a0;
          batch[r] = (t1 - t0) / 1e6;
          scrape[r] = (t2 - t1) / 1e6;
        }
        int from = rounds / 2;
        double[] b = Arrays.copyOfRange(batch, from, rounds);
        double[] s = Arrays.copyOfRange(scrape, from, rounds);
        double[] q = new double[b.length];
        for (int i = 0; i < q.length; i++) {
          q[i] = s[i] / b[i];
        }
        Arrays.sort(b);
        Arrays.sort(s);
        Arrays.sort(q);
        System.out.printf("batch read min %.1f med %.1f ms | scrape min %.1f med %.1f ms | scrape/batch median %.2f,"
            + " min/min %.2f | scrape allocated %.1f B/entry (checksum %d)%n", b[0], b[b.length / 2], s[0],
            s[s.length / 2], q[q.length / 2], s[0] / b[0], (double) allocated / n, sum[0]);
      }
    } finally {
      registry.close();
    }
  }
}
