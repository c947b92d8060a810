package demo;

import io.github.bpfmaps.annotations.Unsigned;

public record DataRec(@Unsigned long packets, @Unsigned long bytes) {}
