package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfRingBuf;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code ringbuf_consume}: a 16 MiB RINGBUF filled (untimed) by {@code BPF_PROG_TEST_RUN} of a
 * 12-instruction socket filter that writes one 16-byte record {@code {42, 42}} per run with {@code
 * bpf_ringbuf_output(..., BPF_RB_NO_WAKEUP)}, the program of {@code c/ringbench.c}; the timed part is
 * {@link BpfRingBuf#consume} of those records, each decoded into a {@link Pair}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingBufBench {
  static final int RING_BYTES = 16 << 20;
  /** 90% of the ring in 24-byte records (8-byte header + 16-byte payload), as the C side. */
  static final int RECORDS = RING_BYTES / 24 * 9 / 10;

  private static final int SOCKET_FILTER = 1; // BPF_PROG_TYPE_SOCKET_FILTER
  private static final int RINGBUF_OUTPUT = 130; // BPF_FUNC_ringbuf_output
  private static final int RB_NO_WAKEUP = 1;

  private BpfRingBuf<Pair> ring;
  private int prog = -1;
  private long sum;

  @Setup(Level.Trial)
  public void setUp() {
    MapSpec s = MapSpec.of("bench_ringbuf", MapType.RINGBUF, 0, 0, RING_BYTES, 0);
    ring = new BpfRingBuf<>(MapFd.create(s), s, PairCodec.INSTANCE);
    int fd = ring.fd().acquire();
    try {
      prog = BpfSys.progLoad(new ProgLoad().type(SOCKET_FILTER).name("bench_rb_out").insns(producer(fd)));
    } finally {
      ring.fd().release();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BpfSys.close(prog);
    ring.close();
  }

  /** Fills the ring with {@link #RECORDS} records: one test run with {@code repeat}. */
  @Setup(Level.Invocation)
  public void fill() {
    if (ring.available() != 0) {
      throw new IllegalStateException("ringbuf_consume: the ring was not drained");
    }
    BpfSys.progTestRun(prog, new byte[64], 0, RECORDS);
  }

  private void accept(Pair p) {
    sum += p.a();
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long consume() {
    sum = 0;
    int n = ring.consume(this::accept);
    if (n != RECORDS || sum != 42L * RECORDS) {
      throw new IllegalStateException("ringbuf_consume: drained " + n + " records (sum " + sum
          + "), produced " + RECORDS + " of 42");
    }
    return sum;
  }

  /**
   * {@code ringbuf_poll}: the same drain through {@link BpfRingBuf#poll} with a zero timeout, the
   * counterpart of libbpf's {@code ring_buffer__poll(rb, 0)} in {@code c/eventbench.c} (whose
   * producer asks for wakeups, which only the untimed fill pays for).
   */
  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long poll() {
    sum = 0;
    int n = ring.poll(Duration.ZERO, this::accept);
    if (n != RECORDS || sum != 42L * RECORDS) {
      throw new IllegalStateException("ringbuf_poll: drained " + n + " records (sum " + sum
          + "), produced " + RECORDS + " of 42");
    }
    return sum;
  }

  /**
   * The producer, as in {@code c/ringbench.c}: {@code r1 = 42; *(u64 *)(r10 - 16) = r1; *(u64 *)(r10
   * - 8) = r1; r1 = map; r2 = r10 - 16; r3 = 16; r4 = BPF_RB_NO_WAKEUP; call; r0 = 0; exit}.
   * Encodings: {@code struct bpf_insn} in {@code include/uapi/linux/bpf.h}.
   */
  static byte[] producer(int ringFd) {
    return producer(ringFd, RB_NO_WAKEUP, 0);
  }

  /** The same program with other {@code bpf_ringbuf_output} flags and return value. */
  static byte[] producer(int ringFd, int flags, int returnValue) {
    ByteBuffer b = ByteBuffer.allocate(12 * 8).order(ByteOrder.nativeOrder());
    insn(b, 0xb7, 1, 0, 0, 42); // mov64 r1, 42
    insn(b, 0x7b, 10, 1, -16, 0); // stxdw [r10 - 16], r1
    insn(b, 0x7b, 10, 1, -8, 0); // stxdw [r10 - 8], r1
    insn(b, 0x18, 1, 1, 0, ringFd); // ld_imm64 r1, map fd (src BPF_PSEUDO_MAP_FD)
    insn(b, 0, 0, 0, 0, 0);
    insn(b, 0xbf, 2, 10, 0, 0); // mov64 r2, r10
    insn(b, 0x07, 2, 0, 0, -16); // add64 r2, -16
    insn(b, 0xb7, 3, 0, 0, 16); // mov64 r3, 16
    insn(b, 0xb7, 4, 0, 0, flags); // mov64 r4, flags
    insn(b, 0x85, 0, 0, 0, RINGBUF_OUTPUT); // call bpf_ringbuf_output
    insn(b, 0xb7, 0, 0, 0, returnValue); // mov64 r0, returnValue
    insn(b, 0x95, 0, 0, 0, 0); // exit
    return b.array();
  }

  private static void insn(ByteBuffer b, int code, int dst, int src, int off, int imm) {
    // dst_reg is the low nibble and src_reg the high one on little-endian hosts (bpf.h bitfields).
    b.put((byte) code).put((byte) ((src << 4) | dst)).putShort((short) off).putInt(imm);
  }
}
