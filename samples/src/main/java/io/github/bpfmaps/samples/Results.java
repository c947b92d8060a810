package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/** {@code results} of {@code user_commands.bpf.c}: the program's one-entry answer. */
@BpfMap(type = MapType.ARRAY, maxEntries = 1)
public record Results(@Unsigned int key, Results.Result value) {
  /** {@code struct result}: what the drained commands added up to. */
  public record Result(@Unsigned long sum, @Unsigned long max, @Unsigned long commands, @Unsigned long drains) {}
}
