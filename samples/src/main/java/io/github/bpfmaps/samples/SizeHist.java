package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.CName;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.metrics.Histogram;

/** {@code struct size_hist} of {@code xdp_sizes.bpf.c}: slot i counts packets of at most 2^i bytes. */
@CName("size_hist")
public record SizeHist(
    @Histogram(value = "xdp.packet.size", baseUnit = "bytes", description = "Packet sizes seen by XDP, log2 buckets")
    @Unsigned @Size(16) long[] slots) {}
