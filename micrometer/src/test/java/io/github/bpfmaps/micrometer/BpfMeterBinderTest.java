package io.github.bpfmaps.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.micrometer.TestMaps.Comm;
import io.github.bpfmaps.micrometer.TestMaps.DiskLatencyKey;
import io.github.bpfmaps.micrometer.TestMaps.FlowKey;
import io.github.bpfmaps.micrometer.TestMaps.FlowStats;
import io.github.bpfmaps.micrometer.TestMaps.Proto;
import io.github.bpfmaps.micrometer.TestMaps.Slots;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real maps, bound to real registries: what a scrape sees after the test writes the map. */
class BpfMeterBinderTest {
  private static final int TEN_0_0_1 = 0x0a000001;
  private static final int TEN_0_0_2 = 0x0a000002;

  @BeforeEach
  void needBpf() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
  }

  private static double counter(MeterRegistry r, String name, String... tags) {
    return r.get(name).tags(tags).functionCounter().count();
  }

  @Test
  void hashEntriesBecomeCountersAndGaugesPerTagSetWithUntaggedComponentsSummed() {
    MeterRegistry r = new SimpleMeterRegistry();
    try (TestMaps_FlowsMap m = TestMaps_FlowsMap.create();
         BpfMeterBinder b = BpfMetrics.bind(r, m, TestMaps.Flows.class, o -> o.maxAge(Duration.ZERO))) {
      m.set(new FlowKey(TEN_0_0_1, Proto.TCP, (short) 80), new FlowStats(3, 300, 60));
      m.set(new FlowKey(TEN_0_0_1, Proto.TCP, (short) 443), new FlowStats(2, 200, 40));
      m.set(new FlowKey(TEN_0_0_2, Proto.UDP, (short) 53), new FlowStats(1, 100, 100));
      b.refresh(); // the series are created by a read; later reads update them
      assertEquals(5, counter(r, "flow.packets", "src", "10.0.0.1", "proto", "TCP"));
      assertEquals(500, counter(r, "flow", "src", "10.0.0.1", "proto", "TCP"));
      assertEquals(100, r.get("flow.last.length").tags("src", "10.0.0.1", "proto", "TCP").gauge().value());
      assertEquals(1, counter(r, "flow.packets", "src", "10.0.0.2", "proto", "UDP"));
      assertEquals(2, b.seriesCount());
      assertEquals(3, r.get("bpfmaps.metrics.entries").tags("map", "mflows").gauge().value());

      m.set(new FlowKey(TEN_0_0_2, Proto.UDP, (short) 53), new FlowStats(9, 900, 100));
      // maxAge zero: the meter read itself reads the map again
      assertEquals(9, counter(r, "flow.packets", "src", "10.0.0.2", "proto", "UDP"));

      m.remove(new FlowKey(TEN_0_0_2, Proto.UDP, (short) 53));
      b.refresh();
      assertNull(r.find("flow.packets").tags("src", "10.0.0.2").functionCounter(),
          "a tag set no key has any more is removed from the registry");
      assertEquals(1, b.seriesCount());
    }
    assertNull(r.find("flow.packets").functionCounter(), "close removes the meters");
  }

  @Test
  void unsignedSixtyFourBitCountersAboveLongMaxStayPositive() {
    MeterRegistry r = new SimpleMeterRegistry();
    try (TestMaps_FlowsMap m = TestMaps_FlowsMap.create();
         BpfMeterBinder b = BpfMetrics.bind(r, m, TestMaps.Flows.class, o -> {})) {
      m.set(new FlowKey(TEN_0_0_1, Proto.TCP, (short) 1), new FlowStats(-1L, 0, 0)); // 2^64 - 1
      b.refresh();
      assertEquals(Math.pow(2, 64), counter(r, "flow.packets", "src", "10.0.0.1", "proto", "TCP"), 1e5);
    }
  }

  @Test
  void anEnumNumberNoConstantHasBecomesTheNumberInsteadOfFailingTheScrape() {
    MeterRegistry r = new SimpleMeterRegistry();
    try (TestMaps_FlowsMap m = TestMaps_FlowsMap.create();
         BpfHashMap<byte[], byte[]> raw = new BpfHashMap<>(m.fd().dup(), m.spec(), Codecs.bytes(12), Codecs.bytes(24));
         BpfMeterBinder b = BpfMetrics.bind(r, m, TestMaps.Flows.class, o -> {})) {
      byte[] key = TestMaps_FlowKeyCodec.INSTANCE.toBytes(new FlowKey(TEN_0_0_1, Proto.TCP, (short) 1));
      key[4] = 99; // proto = 99, which Proto does not know
      raw.set(key, TestMaps_FlowStatsCodec.INSTANCE.toBytes(new FlowStats(4, 40, 4)));
      b.refresh();
      assertEquals(4, counter(r, "flow.packets", "src", "10.0.0.1", "proto", "99"));
    }
  }

  /** The same codec without its layout: the binder cannot read fields in place and decodes records. */
  private static <T> io.github.bpfmaps.runtime.Codec<T> withoutLayout(io.github.bpfmaps.runtime.Codec<T> c) {
    return new io.github.bpfmaps.runtime.Codec<T>() {
      @Override
      public int byteSize() {
        return c.byteSize();
      }

      @Override
      public void encode(T value, java.nio.ByteBuffer buf, int offset) {
        c.encode(value, buf, offset);
      }

      @Override
      public T decode(java.nio.ByteBuffer buf, int offset) {
        return c.decode(buf, offset);
      }
    };
  }

  @Test
  void valuesReadInPlaceEqualValuesDecodedAsRecords() {
    MeterRegistry inPlace = new SimpleMeterRegistry();
    MeterRegistry decoded = new SimpleMeterRegistry();
    try (TestMaps_FlowsMap m = TestMaps_FlowsMap.create();
         BpfHashMap<FlowKey, FlowStats> plain = new BpfHashMap<>(m.fd().dup(), m.spec(),
             TestMaps_FlowKeyCodec.INSTANCE, withoutLayout(TestMaps_FlowStatsCodec.INSTANCE));
         BpfMeterBinder a = BpfMetrics.bind(inPlace, m, TestMaps.Flows.class, o -> {});
         BpfMeterBinder b = BpfMetrics.bind(decoded, plain, TestMaps.Flows.class, o -> {})) {
      m.set(new FlowKey(TEN_0_0_1, Proto.TCP, (short) 80), new FlowStats(-2L, 300, -5));
      m.set(new FlowKey(TEN_0_0_1, Proto.TCP, (short) 443), new FlowStats(2, Long.MIN_VALUE, 40));
      for (int port = 0; port < 300; port++) {
        m.set(new FlowKey(TEN_0_0_2 + port % 7, Proto.UDP, (short) port), new FlowStats(port, 64L * port, port));
      }
      for (int round = 0; round < 2; round++) {
        a.refresh();
        b.refresh();
        assertEquals(8, a.seriesCount());
        assertEquals(a.seriesCount(), b.seriesCount());
        for (Meter meter : inPlace.getMeters()) {
          Meter other = decoded.get(meter.getId().getName()).tags(meter.getId().getTags()).meter();
          double x = meter.measure().iterator().next().getValue();
          double y = other.measure().iterator().next().getValue();
          assertEquals(y, x, meter.getId() + " read in place vs decoded");
        }
        m.remove(new FlowKey(TEN_0_0_1, Proto.TCP, (short) 443)); // the series stays (port 80)
      }
      // u64 2^64 - 2 plus 2 stays positive; the u32 gauge 2^32 - 5 too
      assertEquals(Math.pow(2, 64), counter(inPlace, "flow.packets", "src", "10.0.0.1", "proto", "TCP"));
      assertEquals(4294967291.0, inPlace.get("flow.last.length").tags("src", "10.0.0.1").gauge().value());
    }
  }

  @Test
  void arrayIndexesAreWrittenWithTheStaticNames() {
    MeterRegistry r = new SimpleMeterRegistry();
    try (TestMaps_ActionsMap m = TestMaps_ActionsMap.create();
         BpfMeterBinder b = BpfMetrics.bind(r, m)) { // the record found from the handle's name
      m.set(2, 4L);
      m.set(1, 7L);
      b.refresh();
      assertEquals(4, counter(r, "xdp.actions", "action", "XDP_PASS"));
      assertEquals(7, counter(r, "xdp.actions", "action", "XDP_DROP"));
      assertEquals(0, counter(r, "xdp.actions", "action", "XDP_REDIRECT"));
      assertEquals(5, b.seriesCount(), "every index of an array exists");
    }
  }

  @Test
  void perCpuValuesAreSummedAndNonPrintableStringsEscaped() {
    MeterRegistry r = new SimpleMeterRegistry();
    try (TestMaps_CpuCountsMap m = TestMaps_CpuCountsMap.create();
         BpfMeterBinder b = BpfMetrics.bind(r, m)) {
      m.setAll(new Comm("nginx"), 7L);
      m.setAll(new Comm("a\u0001b"), 1L);
      b.refresh();
      assertEquals(7.0 * Bpf.possibleCpus(), counter(r, "task.events", "comm", "nginx"));
      assertEquals(Bpf.possibleCpus(), counter(r, "task.events", "comm", "a\\x01b"));
    }
  }

  @Test
  void seriesOverTheLimitAreCountedNotExported() {
    MeterRegistry r = new SimpleMeterRegistry();
    try (TestMaps_FlowsMap m = TestMaps_FlowsMap.create();
         BpfMeterBinder b = BpfMetrics.bind(r, m, TestMaps.Flows.class, o -> o.maxSeries(2))) {
      for (int i = 1; i <= 5; i++) {
        m.set(new FlowKey(TEN_0_0_1 + i, Proto.TCP, (short) 1), new FlowStats(i, i, i));
      }
      b.refresh();
      assertEquals(2, b.seriesCount());
      assertEquals(3, b.droppedEntries());
      assertEquals(3, r.get("bpfmaps.metrics.dropped.series").tags("map", "mflows").gauge().value());
      assertEquals(2, r.find("flow.packets").functionCounters().size());
    }
  }

  @Test
  void arrayOfSlotsIsAHistogramWithPowerOfTwoBuckets() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TestMaps_SizesMap m = TestMaps_SizesMap.create();
         BpfMeterBinder b = BpfMetrics.bind(r, m)) {
      long[] slots = new long[12];
      slots[1] = 2; // two values in (1, 2]
      slots[3] = 5; // five in (4, 8]
      m.set(1, new Slots(slots));
      b.refresh();
      Map<Double, Double> buckets = buckets(r, "packet.size", "ifindex", "1");
      assertEquals(0, buckets.get(1.0));
      assertEquals(2, buckets.get(2.0));
      assertEquals(2, buckets.get(4.0));
      assertEquals(7, buckets.get(8.0));
      assertEquals(7, buckets.get(2048.0));
      assertEquals(7, r.get("packet.size").summary().count());

      slots[3] = 6;
      slots[11] = 1;
      m.set(1, new Slots(slots));
      b.refresh();
      buckets = buckets(r, "packet.size", "ifindex", "1");
      assertEquals(8, buckets.get(8.0));
      assertEquals(9, buckets.get(2048.0));
      String text = r.scrape();
      assertTrue(text.contains("# TYPE packet_size_bytes histogram"), text);
      assertTrue(text.contains("packet_size_bytes_bucket{ifindex=\"1\",le=\"+Inf\"} 9"), text);
    }
  }

  @Test
  void bioLatencyShapedMapGivesEbpfExporterNamesTagsAndBuckets() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TestMaps_BioLatencyMap m = TestMaps_BioLatencyMap.create();
         BpfMeterBinder b = BpfMetrics.bind(r, m, TestMaps.BioLatency.class, o -> o.prefix("ebpf_exporter"))) {
      int sda = 8 << 8; // MKDEV(8, 0)
      m.set(new DiskLatencyKey(sda, (byte) 0, 3), 4L); // 4 reads in (4, 8] µs
      m.set(new DiskLatencyKey(sda, (byte) 0, 5), 1L); // 1 read in (16, 32] µs
      m.set(new DiskLatencyKey(sda, (byte) 1, 3), 2L); // 2 writes in (4, 8] µs
      b.refresh();
      Map<Double, Double> reads = buckets(r, "ebpf_exporter.bio.latency", "device", "8:0", "operation", "read");
      assertEquals(28, reads.size(), "buckets 2^0 .. 2^27 µs");
      assertEquals(0, reads.get(4e-6));
      assertEquals(4, reads.get(8e-6));
      assertEquals(5, reads.get(32e-6));
      assertEquals(5, reads.get(round(Math.scalb(1.0, 27) * 1e-6)));
      assertEquals(2, buckets(r, "ebpf_exporter.bio.latency", "device", "8:0", "operation", "write").get(8e-6));
      String text = r.scrape();
      assertTrue(text.contains("# TYPE ebpf_exporter_bio_latency_seconds histogram"), text);
      assertTrue(text.contains("ebpf_exporter_bio_latency_seconds_count{device=\"8:0\",operation=\"read\"} 5"), text);
    }
  }

  /** Bucket bound (seconds for timers) to cumulative count, bounds rounded to 9 significant digits. */
  private static Map<Double, Double> buckets(MeterRegistry r, String name, String... tags) {
    Meter m = r.get(name).tags(tags).meter();
    Map<Double, Double> out = new LinkedHashMap<>();
    for (CountAtBucket c : ((HistogramSupport) m).takeSnapshot().histogramCounts()) {
      out.put(round(m instanceof Timer ? c.bucket(TimeUnit.SECONDS) : c.bucket()), c.count());
    }
    return out;
  }

  private static double round(double v) {
    return new BigDecimal(v).round(new MathContext(9)).doubleValue();
  }

  @Test
  void annotationsThatExportNothingAreRefusedWithTheRecordNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RecordModel.of(TestMaps.Nothing.class, "mnothing", Codecs.U32, Codecs.U64));
    assertTrue(e.getMessage().contains("Nothing: no value component is marked @Counter, @Gauge or @Histogram"),
        e.getMessage());
  }
}
