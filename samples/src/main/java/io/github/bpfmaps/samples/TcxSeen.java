package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code tcx_seen} of {@code xdp_filter.bpf.c}: packets and bytes the tcx ingress program saw. */
@BpfMap(type = MapType.ARRAY, maxEntries = 1)
public record TcxSeen(@Unsigned int key, DataRec value) {}
