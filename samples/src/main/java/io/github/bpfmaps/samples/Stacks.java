package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * {@code stacks} of {@code profile.bpf.c}: stack id to up to 127 instruction pointers (innermost
 * first, zero after the last frame), as {@code bpf_get_stackid} stores them.
 */
@BpfMap(type = MapType.STACK_TRACE, maxEntries = 4096)
public record Stacks(@Unsigned int key, Stacks.Trace value) {
  /** {@code struct stack_trace}: the instruction pointers. */
  public record Trace(@Unsigned @Size(127) long[] ips) {}
}
