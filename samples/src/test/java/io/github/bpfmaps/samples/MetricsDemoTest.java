package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./demo metrics} scraped by the real Prometheus server (Debian's {@code prometheus}), on
 * loopback: the counter values and histogram buckets Prometheus stores are the frames this test
 * sent.
 */
class MetricsDemoTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void prometheusScrapesTheCountersAndBucketsTheTestProduced() throws Exception {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus is not installed (apt-get install prometheus)");
    Path dir = Files.createTempDirectory("bpfmaps-metrics-prom-");
    Process prometheus = null;
    try (MetricsDemo demo = MetricsDemo.start(0)) {
      int[] sent = {42, 42, 42, 128, 128, 1514}; // 3 in le=64, 2 more in le=128, 1 more in le=2048
      long bytes = 0;
      for (int size : sent) {
        demo.send(size);
        bytes += size;
      }
      int promPort = freePort();
      Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
          "global:",
          "  scrape_interval: 1s",
          "  evaluation_interval: 1s",
          "scrape_configs:",
          "  - job_name: bpfmaps",
          "    static_configs:",
          "      - targets: ['127.0.0.1:" + demo.url().getPort() + "']",
          ""));
      prometheus = new ProcessBuilder(PROMETHEUS.toString(),
          "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + promPort)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      String api = "http://127.0.0.1:" + promPort + "/api/v1/query?query=";

      assertEquals(6, awaitValue(api, "xdp_packets_total{action=\"XDP_PASS\",job=\"bpfmaps\"}", 6, dir));
      assertEquals(bytes, query(api, "xdp_bytes_total{action=\"XDP_PASS\"}"));
      assertEquals(0, query(api, "xdp_packets_total{action=\"XDP_DROP\"}"));
      assertEquals(3, query(api, "xdp_packet_size_bytes_bucket{le=~\"64(\\\\.0)?\"}"));
      assertEquals(5, query(api, "xdp_packet_size_bytes_bucket{le=~\"128(\\\\.0)?\"}"));
      assertEquals(5, query(api, "xdp_packet_size_bytes_bucket{le=~\"1024(\\\\.0)?\"}"));
      assertEquals(6, query(api, "xdp_packet_size_bytes_bucket{le=~\"2048(\\\\.0)?\"}"));
      assertEquals(6, query(api, "xdp_packet_size_bytes_bucket{le=\"+Inf\"}"));
      assertEquals(6, query(api, "xdp_packet_size_bytes_count"));
      if (demo.programStatsNote() == null) {
        assertTrue(query(api, "bpf_program_runs_total{program=\"xdp_count\",type=\"xdp\"}") >= 6);
      }
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(5, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
      deleteTree(dir);
    }
  }

  /** Polls until the query's single value is {@code want} (Prometheus scrapes every second), at most 15 s. */
  private static long awaitValue(String api, String promql, long want, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    long last = -1;
    while (System.nanoTime() < deadline) {
      try {
        last = query(api, promql);
        if (last == want) {
          return last;
        }
      } catch (IOException | IllegalStateException e) {
        // not up yet, or no sample yet
      }
      Thread.sleep(250);
    }
    String log = Files.exists(dir.resolve("prometheus.log")) ? Files.readString(dir.resolve("prometheus.log")) : "";
    throw new AssertionError("Prometheus never answered " + want + " for " + promql + " (last " + last + ")\n" + log);
  }

  private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.e+]+,\"([0-9.e+-]+)\"\\]");

  /** The one sample an instant query returns, as a whole number. */
  private static long query(String api, String promql) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api
        + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = VALUE.matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException(promql + ": " + r.statusCode() + " " + r.body());
    }
    String v = m.group(1);
    if (m.find()) {
      throw new IllegalStateException(promql + " matched more than one series: " + r.body());
    }
    return Math.round(Double.parseDouble(v));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
