package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * {@code blocked} of {@code xdp_filter.bpf.c}: IPv4 source addresses to drop (network order, as the
 * packet carries them) and how many packets each lost.
 */
@BpfMap(type = MapType.HASH, maxEntries = 256)
public record Blocked(Blocked.Source key, @Unsigned long value) {
  /** The key: an IPv4 source address, network order. */
  public record Source(@NetworkOrder @Unsigned int addr) {}
}
