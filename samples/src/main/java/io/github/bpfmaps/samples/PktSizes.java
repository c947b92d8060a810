package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.metrics.Tag;

/**
 * {@code pkt_sizes} of {@code xdp_sizes.bpf.c}: a log2 histogram of packet sizes per ingress
 * interface; as metrics, the histogram {@code xdp_packet_size_bytes} tagged {@code ifindex}.
 */
@BpfMap(type = MapType.HASH, maxEntries = 64, object = "xdp_sizes.bpf.o")
public record PktSizes(@Tag("ifindex") @Unsigned int key, SizeHist value) {}
