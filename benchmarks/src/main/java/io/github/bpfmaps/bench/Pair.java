package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.Unsigned;

/** {@code struct { __u64 a; __u64 b; }}: the value of every map in the suite. */
public record Pair(@Unsigned long a, @Unsigned long b) {
  /** The value the suite stores at key {@code k}: {@code {k, ~k}}. */
  public static Pair of(long k) {
    return new Pair(k, ~k);
  }
}
