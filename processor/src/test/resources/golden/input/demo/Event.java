package demo;

import io.github.bpfmaps.annotations.Size;

public record Event(long ts, @Size(16) String comm, @Size(4) int[] args, Kind kind) {}
