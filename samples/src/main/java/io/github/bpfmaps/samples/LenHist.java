package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code len_hist} of {@code legacy_maps.bpf.c}: packets per 64-byte length bucket. */
@BpfMap(type = MapType.HASH, maxEntries = 64, flags = MapFlags.NO_PREALLOC)
public record LenHist(@Unsigned int key, @Unsigned long value) {}
