package demo;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

@BpfMap(type = MapType.ARRAY, maxEntries = 10)
public record XdpStats(@Unsigned int key, DataRec value) {}
