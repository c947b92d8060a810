package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code verdicts} of {@code xdp_filter.bpf.c}: packets and bytes per XDP action, indexed by the action. */
@BpfMap(type = MapType.ARRAY, maxEntries = 5)
public record Verdicts(@Unsigned int key, DataRec value) {}
