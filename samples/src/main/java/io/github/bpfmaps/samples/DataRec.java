package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.metrics.Counter;

/**
 * {@code struct datarec} of {@code xdp_counter.bpf.c}; as metrics, the counters {@code
 * xdp_packets_total} and {@code xdp_bytes_total} (Prometheus names).
 */
public record DataRec(
    @Counter(value = "xdp.packets", description = "Packets seen by the XDP program, per action")
    @Unsigned long packets,
    @Counter(value = "xdp", baseUnit = "bytes", description = "Bytes seen by the XDP program, per action")
    @Unsigned long bytes) {}
