package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.Unsigned;

/** {@code struct datarec} of {@code xdp_counter.bpf.c}. */
public record DataRec(@Unsigned long packets, @Unsigned long bytes) {}
