package demo;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.Width;

@BpfMap(type = MapType.HASH, maxEntries = 65536, name = "flows", pinning = Pinning.BY_NAME)
public record Flows(Flows.FlowKey key, Flows.FlowStats value) {
  public record FlowKey(@NetworkOrder int saddr, @NetworkOrder int daddr,
      @NetworkOrder short sport, @NetworkOrder short dport, byte proto) {}

  public record FlowStats(@Unsigned long packets, @Unsigned long bytes,
      @Unsigned @Width(2) int lastFlags, boolean closed) {}
}
