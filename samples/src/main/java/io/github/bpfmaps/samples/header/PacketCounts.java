package io.github.bpfmaps.samples.header;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;

/**
 * The map {@code packet_counts} of {@code header_counter.bpf.o}, declared here and nowhere else: the C
 * gets it from the generated header, and the build checks the committed object against it.
 *
 * @param key protocol and port
 * @param value the counters
 */
@BpfMap(type = MapType.HASH, maxEntries = 1024, object = "header_counter.bpf.o")
public record PacketCounts(PacketKey key, PacketStats value) {}
