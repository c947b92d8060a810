package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code stack_counts} of {@code profile.bpf.c}: samples per task and pair of stacks. */
@BpfMap(type = MapType.HASH, maxEntries = 4096)
public record StackCounts(StackCounts.Key key, @Unsigned long value) {
  /**
   * {@code struct stack_key}: the process, its kernel and user stack ids in {@code stacks} (negative
   * when there is none: -14, EFAULT, for a kernel stack when the task was in user mode), its name.
   */
  public record Key(@Unsigned int pid, int kernelStack, int userStack, @Size(16) String comm) {}
}
