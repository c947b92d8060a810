package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** The {@code .data} of {@code global_config.bpf.c} ({@code global_c.data}): {@code config_version}. */
@BpfMap(name = "global_c.data", type = MapType.ARRAY, maxEntries = 1, flags = MapFlags.MMAPABLE)
public record GlobalData(@Unsigned int key, @Unsigned int value) {}
