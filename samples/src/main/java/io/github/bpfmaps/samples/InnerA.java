package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code inner_a} of {@code map_in_map.bpf.c}, preset in slot 0 of {@code outer_array}. */
@BpfMap(name = "inner_a", type = MapType.ARRAY, maxEntries = 4)
public record InnerA(@Unsigned int key, @Unsigned long value) {}
