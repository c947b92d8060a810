package demo;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Unsigned;

/** An LPM trie keyed by IPv4 prefix, with the value a plain u32 (next hop index). */
@BpfMap(type = MapType.LPM_TRIE, maxEntries = 1024, flags = MapFlags.NO_PREALLOC, keySize = 8)
public record Routes(Routes.Prefix key, @Unsigned int value) {
  public record Prefix(@Unsigned int prefixLen, @NetworkOrder int addr) {}
}
