package io.github.bpfmaps.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The generated codec of a 64-byte record ({@link Flow64}: network-order fields, an unsigned short,
 * counters): encode into a native-order direct buffer, as the map handles do, and decode it back.
 * No C counterpart; the target is an absolute 20 ns for the pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {
  private final ByteBuffer buf = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
  private final Flow64 flow = new Flow64(0x0a000001, 0x0a000002, (short) 443, (short) 51234, (byte) 6,
      (byte) 0x12, (short) 100, 1_000_000L, 1_500_000_000L, 123_456_789L, 987_654_321L, 3, 7, 1, 0);

  /** Encode then decode one record; returns the decoded record. */
  @Benchmark
  public Flow64 encodeDecode() {
    Flow64Codec.INSTANCE.encode(flow, buf, 0);
    return Flow64Codec.INSTANCE.decode(buf, 0);
  }

  /** Encode only: no allocation. */
  @Benchmark
  public ByteBuffer encode() {
    Flow64Codec.INSTANCE.encode(flow, buf, 0);
    return buf;
  }
}
