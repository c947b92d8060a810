package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.metrics.Tag;

/**
 * {@code xdp_stats} of {@code xdp_counter.bpf.c}: packets and bytes per XDP action, indexed by the
 * action ({@code XDP_ABORTED} 0 … {@code XDP_REDIRECT} 4). As metrics ({@code ./demo metrics}): the
 * index is the {@code action} tag, written with the action's name.
 */
@BpfMap(type = MapType.ARRAY, maxEntries = 10)
public record XdpStats(
    @Tag(value = "action", names = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"})
    @Unsigned int key,
    DataRec value) {}
