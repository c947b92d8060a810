package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * {@code exec_perf} of {@code exec_snoop_perf.bpf.c}: execve(2) events through a perf event array,
 * one ring per CPU. The object declares {@code max_entries} 0 (one slot per possible CPU, sized at
 * load); 4096 here only bounds {@code create()}.
 */
@BpfMap(type = MapType.PERF_EVENT_ARRAY, maxEntries = 4096)
public record ExecPerf(ExecPerf.ExecSample value) {
  /** {@code struct exec_event}: who ran what. */
  public record ExecSample(@Unsigned int pid, @Unsigned int uid, @Size(16) String comm, @Size(128) String filename) {}
}
