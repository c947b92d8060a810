package io.github.bpfmaps.samples;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * The {@code .rodata} of {@code global_config.bpf.c} ({@code global_c.rodata}): the constants the
 * verifier sees. Frozen at load, so user space reads it but cannot write it.
 */
@BpfMap(name = "global_c.rodata", type = MapType.ARRAY, maxEntries = 1,
    flags = MapFlags.MMAPABLE | MapFlags.RDONLY_PROG)
public record GlobalRodata(@Unsigned int key, GlobalRodata.Config value) {
  /** {@code min_len} and {@code verdict}. */
  public record Config(@Unsigned int minLen, @Unsigned int verdict) {}
}
