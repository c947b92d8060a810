package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * The {@code .bss} of {@code global_config.bpf.c} as libbpf names it ({@code global_c.bss}): one
 * slot holding every zero-initialised global, in declaration order.
 */
@BpfMap(name = "global_c.bss", type = MapType.ARRAY, maxEntries = 1, flags = MapFlags.MMAPABLE)
public record GlobalBss(@Unsigned int key, GlobalBss.Counters value) {
  /** {@code packets_seen}, {@code bytes_seen}, {@code short_packets}. */
  public record Counters(@Unsigned long packetsSeen, @Unsigned long bytesSeen, @Unsigned long shortPackets) {}
}
