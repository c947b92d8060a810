package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Unsigned;

/**
 * The records of the suite. {@code Pair} is the 16-byte value of every map the C baseline uses
 * ({@code struct { __u64 a, b; }}); {@code Flow64} is the 64-byte record of the codec benchmark.
 * The {@code @BpfMap} declarations exist so that the processor generates {@code PairCodec} and
 * {@code Flow64Codec}; the benchmarks build their handles from their own specs (the C shapes).
 */
final class Records {
  private Records() {}

  /** Key {@code k} holds {@code {k, ~k}} in every prefilled map. */
  @BpfMap(type = MapType.HASH, maxEntries = 65536, name = "bench_pairs")
  record Pairs(@Unsigned int key, Pair value) {}

  /** A codec-only declaration: a ring buffer of {@link Flow64}. */
  @BpfMap(type = MapType.RINGBUF, maxEntries = 4096, name = "bench_flows")
  record Flows(Flow64 value) {}
}
