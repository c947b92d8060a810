package io.github.bpfmaps.samples.reliability;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.Width;

/**
 * A test-only map whose key and value have every component kind that a value can break: a string
 * with a {@code @Size}, arrays with a length, narrow and unsigned integers, a nested record.
 */
@BpfMap(type = MapType.HASH, maxEntries = 16)
public record Tagged(Tagged.Key key, Tagged.Entry value) {
  /** {@code struct key { __u16 port; char name[8]; }}. */
  public record Key(@Unsigned @Width(2) int port, @Size(8) String name) {}

  /** {@code struct entry { __s8 level; __u8 mac[6]; __u32 counts[4]; struct limits limits; }}. */
  public record Entry(@Width(1) int level, @Size(6) byte[] mac, @Unsigned @Size(4) int[] counts, Limits limits) {}

  /** {@code struct limits { __u32 low; __u32 high; }}. */
  public record Limits(@Unsigned int low, @Unsigned @Width(2) int high) {}
}
