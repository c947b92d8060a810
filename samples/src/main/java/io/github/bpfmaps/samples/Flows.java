package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.Width;

/**
 * {@code flows} of {@code flows.bpf.c}: the IPv4 TCP/UDP flow table, pinned by name. The key is
 * {@code struct flow_key}: addresses and ports in network byte order as the packet carries them, then
 * the protocol and three bytes of tail padding (written as zeros, so the kernel, which hashes every
 * byte, finds the key again).
 */
@BpfMap(type = MapType.HASH, maxEntries = 65536, pinning = Pinning.BY_NAME)
public record Flows(Flows.FlowKey key, Flows.FlowStats value) {
  /** {@code struct flow_key}: 13 bytes of fields, 16 with padding. */
  public record FlowKey(
      @NetworkOrder @Unsigned int saddr,
      @NetworkOrder @Unsigned int daddr,
      @NetworkOrder @Unsigned @Width(2) int sport,
      @NetworkOrder @Unsigned @Width(2) int dport,
      @Unsigned @Width(1) int proto) {}

  /** {@code struct flow_stats}. */
  public record FlowStats(@Unsigned long packets, @Unsigned long bytes) {}
}
