package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code lengths} of {@code events.bpf.c}: a queue of packet lengths. */
@BpfMap(type = MapType.QUEUE, maxEntries = 128)
public record Lengths(@Unsigned int value) {}
