package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code inner_b} of {@code map_in_map.bpf.c}, preset in slot 2 of {@code outer_array}. */
@BpfMap(name = "inner_b", type = MapType.ARRAY, maxEntries = 4)
public record InnerB(@Unsigned int key, @Unsigned long value) {}
