package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code proto_count} of {@code legacy_maps.bpf.c}: packets per low byte of the EtherType. */
@BpfMap(type = MapType.ARRAY, maxEntries = 256)
public record ProtoCount(@Unsigned int key, @Unsigned long value) {}
