package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** A record that does not match {@code xdp_stats}: bound to it, it must be refused. */
@BpfMap(name = "xdp_stats", type = MapType.HASH, maxEntries = 10)
record WrongXdpStats(@Unsigned int key, @Unsigned long value) {}
