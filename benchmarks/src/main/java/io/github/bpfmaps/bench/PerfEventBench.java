package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfPerfEventArray;
import io.github.bpfmaps.runtime.maps.PerfOptions;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.runtime.sys.Scratch;
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
 * {@code perf_poll}: the program of {@code c/eventbench.c} (XDP, one 16-byte {@code {42, 42}}
 * sample per run through {@code bpf_perf_event_output(..., BPF_F_CURRENT_CPU, ...)}) fills the
 * 1024-page ring of the CPU the benchmark thread is pinned to, untimed; the timed part is one
 * {@code poll(Duration.ZERO, ...)} that drains it, decoding each sample into a {@link Pair} ({@link
 * #poll}) or reading it in place ({@link #pollRaw}, the zero-allocation path).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PerfEventBench {
  static final int PAGES = 1024;
  /** 90% of a 4 MiB ring in 32-byte samples, as the C side. */
  static final int RECORDS = PAGES * 4096 / 32 * 9 / 10;
  /**
   * More samples per wakeup than a fill writes, as the C side: a wakeup per sample made each
   * untimed fill take about 0.6 s (an irq_work per sample), so JMH timed a handful of drains.
   */
  static final int NO_WAKEUP = 1 << 30;

  private static final int XDP = 6;
  private static final int PERF_EVENT_OUTPUT = 25;

  private BpfPerfEventArray<Pair> perf;
  private int prog = -1;
  private long sum;

  @Setup(Level.Trial)
  public void setUp() {
    pinToFirstOnlineCpu();
    MapSpec s = MapSpec.of("bench_perf", MapType.PERF_EVENT_ARRAY, 4, 4, Bpf.possibleCpus(), 0);
    perf = new BpfPerfEventArray<>(MapFd.create(s), s, PairCodec.INSTANCE).open(PerfOptions.defaults().pages(PAGES).wakeupEvents(NO_WAKEUP));
    int fd = perf.fd().acquire();
    try {
      prog = BpfSys.progLoad(new ProgLoad().type(XDP).name("bench_perf_out").insns(producer(fd)));
    } finally {
      perf.fd().release();
    }
  }

  /** The benchmark thread runs the test runs, so its CPU's ring gets every sample. */
  static void pinToFirstOnlineCpu() {
    ByteBuffer mask = ByteBuffer.allocateDirect(128);
    int cpu = Bpf.onlineCpus()[0];
    mask.put(cpu / 8, (byte) (1 << (cpu % 8)));
    LibC.sched_setaffinity(0, 128, Scratch.address(mask));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BpfSys.close(prog);
    perf.close();
  }

  @Setup(Level.Invocation)
  public void fill() {
    BpfSys.progTestRun(prog, new byte[64], 0, RECORDS);
  }

  private void accept(Pair p) {
    sum += p.a();
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long poll() {
    sum = 0;
    int n = perf.poll(Duration.ZERO, this::accept);
    return check(n);
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long pollRaw() {
    sum = 0;
    int n = perf.pollRaw(Duration.ZERO, (cpu, buf, offset, length) -> sum += buf.getLong(offset));
    return check(n);
  }

  private long check(int n) {
    if (n != RECORDS || sum != 42L * RECORDS || perf.lost() != 0) {
      throw new IllegalStateException("perf_poll: delivered " + n + " samples (sum " + sum + ", lost "
          + perf.lost() + "), produced " + RECORDS + " of 42");
    }
    return sum;
  }

  /** {@code r6 = r1; *(u64 *)(r10 - 16) = *(u64 *)(r10 - 8) = 42; perf_event_output(r6, map, CURRENT_CPU, r10 - 16, 16); return XDP_PASS}. */
  static byte[] producer(int mapFd) {
    ByteBuffer b = ByteBuffer.allocate(14 * 8).order(ByteOrder.nativeOrder());
    insn(b, 0xbf, 6, 1, 0, 0); // mov64 r6, r1
    insn(b, 0xb7, 1, 0, 0, 42); // mov64 r1, 42
    insn(b, 0x7b, 10, 1, -16, 0); // stxdw [r10 - 16], r1
    insn(b, 0x7b, 10, 1, -8, 0); // stxdw [r10 - 8], r1
    insn(b, 0xbf, 1, 6, 0, 0); // mov64 r1, r6
    insn(b, 0x18, 2, 1, 0, mapFd); // ld_imm64 r2, map fd
    insn(b, 0, 0, 0, 0, 0);
    insn(b, 0xb4, 3, 0, 0, -1); // mov32 r3, BPF_F_CURRENT_CPU (zero-extended)
    insn(b, 0xbf, 4, 10, 0, 0); // mov64 r4, r10
    insn(b, 0x07, 4, 0, 0, -16); // add64 r4, -16
    insn(b, 0xb7, 5, 0, 0, 16); // mov64 r5, 16
    insn(b, 0x85, 0, 0, 0, PERF_EVENT_OUTPUT); // call bpf_perf_event_output
    insn(b, 0xb7, 0, 0, 0, 2); // mov64 r0, XDP_PASS
    insn(b, 0x95, 0, 0, 0, 0); // exit
    return b.array();
  }

  private static void insn(ByteBuffer b, int code, int dst, int src, int off, int imm) {
    b.put((byte) code).put((byte) ((src << 4) | dst)).putShort((short) off).putInt(imm);
  }
}
