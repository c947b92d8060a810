package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code events} of {@code events.bpf.c}: a 64 KiB ring buffer of {@code struct event}. */
@BpfMap(type = MapType.RINGBUF, maxEntries = 64 * 1024)
public record Events(Events.Event value) {
  /** {@code struct event}: a sequence number, the packet's length and its ingress interface. */
  public record Event(@Unsigned long seq, @Unsigned int len, @Unsigned int ifindex) {}
}
