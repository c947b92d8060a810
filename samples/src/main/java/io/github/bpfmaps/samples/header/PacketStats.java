package io.github.bpfmaps.samples.header;

import io.github.bpfmaps.annotations.CName;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * Packets and bytes seen for one {@link PacketKey}.
 *
 * @param packets packets counted
 * @param bytes bytes of those packets, Ethernet header included
 * @param lastVerdict what was done with the latest one
 */
@CName("packet_stats")
public record PacketStats(
    @Unsigned long packets, @Unsigned long bytes, @CName("last_verdict") Verdict lastVerdict) {}
