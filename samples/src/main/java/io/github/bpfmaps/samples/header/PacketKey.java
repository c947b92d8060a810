package io.github.bpfmaps.samples.header;

import io.github.bpfmaps.annotations.CName;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Padding;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * What {@code header_counter.bpf.c} counts by: the IP protocol and the destination port as it is on
 * the wire. The explicit padding byte is zeroed on both sides, so keys hash alike.
 *
 * @param proto {@code IPPROTO_TCP} or {@code IPPROTO_UDP}
 * @param port the destination port, big-endian
 */
@CName("packet_key")
public record PacketKey(@Unsigned byte proto, @Padding(1) @NetworkOrder @Unsigned short port) {}
