package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code exec_events} of {@code exec_snoop.bpf.c}: a 256 KiB ring buffer of {@code struct exec_event}. */
@BpfMap(type = MapType.RINGBUF, maxEntries = 256 * 1024)
public record ExecEvents(ExecEvents.Event value) {
  /** {@code struct exec_event}: who called execve and the file it asked for. */
  public record Event(@Unsigned int pid, @Unsigned int uid, @Size(16) String comm, @Size(128) String filename) {}
}
