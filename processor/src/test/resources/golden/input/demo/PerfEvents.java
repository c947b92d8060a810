package demo;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;

@BpfMap(type = MapType.PERF_EVENT_ARRAY, maxEntries = 64)
public record PerfEvents(Event value) {}
