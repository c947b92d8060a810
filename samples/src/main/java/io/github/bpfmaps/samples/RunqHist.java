package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * {@code runq_hist} of {@code runqlat.bpf.c}: how many times a task waited on the run queue for
 * [2^slot, 2^(slot+1)) microseconds (slot 0 also counts waits under a microsecond).
 */
@BpfMap(type = MapType.ARRAY, maxEntries = 32)
public record RunqHist(@Unsigned int key, @Unsigned long value) {}
