package io.github.bpfmaps.micrometer;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.CValue;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.metrics.Bucket;
import io.github.bpfmaps.annotations.metrics.Counter;
import io.github.bpfmaps.annotations.metrics.Gauge;
import io.github.bpfmaps.annotations.metrics.Histogram;
import io.github.bpfmaps.annotations.metrics.Tag;

/** The records the tests bind: each shape of map the binder understands. */
final class TestMaps {
  private TestMaps() {}

  /** An IP protocol, as a C enum whose values are the protocol numbers. */
  public enum Proto {
    @CValue(6) TCP,
    @CValue(17) UDP
  }

  /** A HASH keyed by (source address, protocol, port); the port is summed away. */
  @BpfMap(name = "mflows", type = MapType.HASH, maxEntries = 200_000)
  public record Flows(FlowKey key, FlowStats value) {}

  public record FlowKey(@Tag("src") @NetworkOrder int saddr, @Tag("proto") Proto proto,
      @Unsigned short port) {}

  public record FlowStats(
      @Counter(value = "flow.packets", description = "Packets per source and protocol") @Unsigned long packets,
      @Counter(value = "flow", baseUnit = "bytes") @Unsigned long bytes,
      @Gauge(value = "flow.last.length", baseUnit = "bytes") @Unsigned int lastLength) {}

  /** An ARRAY indexed by XDP action, the index written with ebpf_exporter's static_map. */
  @BpfMap(name = "mactions", type = MapType.ARRAY, maxEntries = 5)
  public record Actions(
      @Tag(value = "action", names = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"})
      @Unsigned int key,
      @Counter("xdp.actions") @Unsigned long value) {}

  /** A PERCPU_HASH: values summed over the CPUs. */
  @BpfMap(name = "mcpu", type = MapType.PERCPU_HASH, maxEntries = 16)
  public record CpuCounts(Comm key, @Counter("task.events") @Unsigned long value) {}

  public record Comm(@Tag("comm") @Size(16) String comm) {}

  /** A BCC-style log2 histogram: one array of slots per tag set. */
  @BpfMap(name = "msizes", type = MapType.HASH, maxEntries = 16)
  public record Sizes(@Tag("ifindex") @Unsigned int key, Slots value) {}

  public record Slots(@Histogram(value = "packet.size", baseUnit = "bytes", description = "Packet sizes")
      @Unsigned @Size(12) long[] slots) {}

  /** ebpf_exporter's biolatency map: the slot is part of the key, the value its count. */
  @BpfMap(name = "bio_latency_seconds", type = MapType.HASH, maxEntries = 1024)
  public record BioLatency(DiskLatencyKey key,
      @Histogram(value = "bio.latency", baseUnit = "seconds", description = "Block IO latency histogram",
          bucketMax = 27, multiplier = 0.000001) @Unsigned long value) {}

  public record DiskLatencyKey(
      @Tag(value = "device", format = Tag.Format.MAJOR_MINOR) @Unsigned int dev,
      @Tag(value = "operation", names = {"read", "write", "flush"}) @Unsigned byte op,
      @Bucket @Unsigned long bucket) {}

  /** A record with nothing to export, for the error message. */
  @BpfMap(name = "mnothing", type = MapType.HASH, maxEntries = 4)
  public record Nothing(@Tag("k") @Unsigned int key, @Unsigned long value) {}
}
