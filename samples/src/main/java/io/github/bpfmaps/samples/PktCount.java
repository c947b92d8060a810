package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code pkt_count} of {@code percpu_counter.bpf.c}: one packet counter per CPU. */
@BpfMap(type = MapType.PERCPU_ARRAY, maxEntries = 1)
public record PktCount(@Unsigned int key, @Unsigned long value) {}
