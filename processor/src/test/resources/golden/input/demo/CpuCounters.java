package demo;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Size;

/** Per-CPU counters keyed by raw bytes (a MAC address). */
@BpfMap(type = MapType.PERCPU_HASH, maxEntries = 256)
public record CpuCounters(@Size(6) byte[] key, long value) {}
