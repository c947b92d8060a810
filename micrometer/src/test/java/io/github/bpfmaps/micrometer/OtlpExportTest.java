package io.github.bpfmaps.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.bpfmaps.micrometer.TestMaps.DiskLatencyKey;
import io.github.bpfmaps.micrometer.TestMaps.FlowKey;
import io.github.bpfmaps.micrometer.TestMaps.FlowStats;
import io.github.bpfmaps.micrometer.TestMaps.Proto;
import io.github.bpfmaps.runtime.Bpf;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Micrometer's OTLP registry pushing the map's meters to a receiver this test runs on loopback
 * ({@code POST /v1/metrics}, protobuf decoded with opentelemetry-proto): the names, attributes,
 * values and histogram buckets arrive as the map holds them.
 */
class OtlpExportTest {
  @Test
  void countersAndHistogramsArriveAtAnOtlpReceiver() throws Exception {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/v1/metrics", ex -> {
      try (ex; InputStream in = "gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(ex.getRequestBody()) : ex.getRequestBody()) {
        received.add(ExportMetricsServiceRequest.parseFrom(in.readAllBytes()));
        ex.sendResponseHeaders(200, -1);
      }
    });
    receiver.start();
    Map<String, String> props = new HashMap<>();
    props.put("otlp.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/metrics");
    props.put("otlp.step", "PT10M"); // no periodic push: the test publishes once, on close
    props.put("otlp.baseTimeUnit", "seconds"); // OTLP's default is milliseconds; histograms in seconds
    OtlpConfig config = props::get;
    OtlpMeterRegistry registry = new OtlpMeterRegistry(config, Clock.SYSTEM);
    try (TestMaps_FlowsMap flows = TestMaps_FlowsMap.create();
         TestMaps_BioLatencyMap bio = TestMaps_BioLatencyMap.create();
         BpfMeterBinder f = BpfMetrics.bind(registry, flows, TestMaps.Flows.class, o -> {});
         BpfMeterBinder b = BpfMetrics.bind(registry, bio, TestMaps.BioLatency.class, o -> {})) {
      flows.set(new FlowKey(0x0a000001, Proto.TCP, (short) 80), new FlowStats(12, 3400, 60));
      bio.set(new DiskLatencyKey(8 << 8, (byte) 1, 4), 3L); // 3 writes in (8, 16] µs
      f.refresh();
      b.refresh();
      registry.close(); // publishes once
    } finally {
      receiver.stop(0);
    }
    assertFalse(received.isEmpty(), "the registry posted nothing");
    Map<String, Metric> metrics = new HashMap<>();
    for (ExportMetricsServiceRequest req : received) {
      for (ResourceMetrics rm : req.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            metrics.put(m.getName(), m);
          }
        }
      }
    }
    Metric packets = metrics.get("flow.packets");
    assertTrue(packets != null && packets.hasSum(), "flow.packets as an OTLP sum: " + metrics.keySet());
    assertTrue(packets.getSum().getIsMonotonic());
    NumberDataPoint p = packets.getSum().getDataPoints(0);
    assertEquals(12, p.getAsDouble());
    assertEquals(Map.of("src", "10.0.0.1", "proto", "TCP"), attributes(p.getAttributesList()));
    assertEquals(3400, metrics.get("flow").getSum().getDataPoints(0).getAsDouble());

    Metric latency = metrics.get("bio.latency");
    assertTrue(latency != null && latency.hasHistogram(), "bio.latency as an OTLP histogram: " + metrics.keySet());
    HistogramDataPoint h = latency.getHistogram().getDataPoints(0);
    assertEquals(Map.of("device", "8:0", "operation", "write"), attributes(h.getAttributesList()));
    assertEquals(3, h.getCount());
    assertEquals(28, h.getExplicitBoundsCount(), "bounds 2^0 .. 2^27 µs");
    // OTLP bucket counts are per bucket (not cumulative), the last one above every bound
    int at16us = -1;
    for (int i = 0; i < h.getExplicitBoundsCount(); i++) {
      if (Math.abs(h.getExplicitBounds(i) - 16e-6) < 1e-12) {
        at16us = i;
      }
    }
    assertTrue(at16us >= 0, "a 16 µs bound in " + h.getExplicitBoundsList());
    assertEquals(3, h.getBucketCounts(at16us));
  }

  private static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), kv.getValue().getStringValue());
    }
    return out;
  }
}
