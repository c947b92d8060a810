package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * {@code xdp_stats} of {@code xdp_counter.bpf.c}: packets and bytes per XDP action, indexed by the
 * action ({@code XDP_ABORTED} 0 … {@code XDP_REDIRECT} 4).
 */
@BpfMap(type = MapType.ARRAY, maxEntries = 10)
public record XdpStats(@Unsigned int key, DataRec value) {}
