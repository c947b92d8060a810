package demo;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;

@BpfMap(type = MapType.QUEUE, maxEntries = 128)
public record Events(Event value) {}
