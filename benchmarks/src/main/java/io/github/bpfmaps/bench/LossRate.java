package io.github.bpfmaps.bench;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfMapHandle;
import io.github.bpfmaps.runtime.maps.BpfPerfEventArray;
import io.github.bpfmaps.runtime.maps.BpfRingBuf;
import io.github.bpfmaps.runtime.maps.EventPoller;
import io.github.bpfmaps.runtime.maps.PerfOptions;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code perf_loss} and {@code ringbuf_loss}, the Java side of {@code c/eventbench.c}'s groups of
 * the same names: the highest event rate at which the reader loses no event. Same program (XDP,
 * one 16-byte {@code {42, 42}} event per run), same ring ({@code BENCH_LOSS_PAGES} pages per CPU,
 * a wakeup after every perf sample as libbpf sets it, or after {@code BENCH_LOSS_WAKEUP}; a ring
 * buffer of as many bytes), same threads (the producer on the first online CPU, the reader on the second), same pacing
 * ({@code BENCH_LOSS_BATCH} events a test run, spun to the rate), same rates ({@code
 * BENCH_LOSS_RATES}, {@code BENCH_LOSS_MS} each, 200 ms to drain after each, after an unreported
 * warm-up of {@code BENCH_LOSS_WARMUP_MS} at the first rate), same output lines.
 * The reader is the typed {@code poll(Duration.ofMillis(10), ...)} loop a user would write.
 *
 * <p>Usage: {@code java -cp ... io.github.bpfmaps.bench.LossRate perf_loss|ringbuf_loss}. Needs root.
 */
public final class LossRate {
  private static final int XDP = 6;
  private static final int XDP_PASS = 2;

  private LossRate() {}

  /** Reads and counts events on its own CPU until stopped. */
  private static final class Reader extends Thread {
    private final EventPoller<Pair> poller;
    private final int cpu;
    private volatile boolean stop;
    // The reader's count and content check; published after every poll for the main thread.
    private long seen;
    private long sum;
    private volatile long published;
    private volatile long publishedSum;
    private volatile Throwable failure;

    Reader(EventPoller<Pair> poller, int cpu) {
      super("loss-reader");
      this.poller = poller;
      this.cpu = cpu;
      setDaemon(true);
    }

    private void accept(Pair p) {
      seen++;
      sum += p.a();
    }

    @Override
    public void run() {
      try {
        pin(cpu);
        realTime();
        Duration timeout = Duration.ofMillis(10);
        while (!stop) {
          poller.poll(timeout, this::accept);
          published = seen;
        }
        publishedSum = sum;
        published = seen;
      } catch (Throwable t) {
        failure = t;
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !(args[0].equals("perf_loss") || args[0].equals("ringbuf_loss"))) {
      System.err.println("usage: LossRate perf_loss|ringbuf_loss");
      System.exit(2);
    }
    String op = args[0];
    boolean perf = op.equals("perf_loss");
    long pages = env("BENCH_LOSS_PAGES", 8);
    int[] online = Bpf.onlineCpus();
    if (online.length < 2) {
      System.out.println("op=" + op + " skipped: needs two CPUs (producer and reader)");
      return;
    }
    pin(online[0]);
    realTime();
    long page = LibC.sysconf(LibC.SC_PAGESIZE);
    BpfMapHandle handle;
    EventPoller<Pair> poller;
    int prog;
    if (perf) {
      MapSpec s = MapSpec.of("bench_perf_loss", MapType.PERF_EVENT_ARRAY, 4, 4, Bpf.possibleCpus(), 0);
      BpfPerfEventArray<Pair> p = new BpfPerfEventArray<>(MapFd.create(s), s, PairCodec.INSTANCE)
          .open(PerfOptions.defaults().pages((int) pages).wakeupEvents((int) env("BENCH_LOSS_WAKEUP", 1)));
      handle = p;
      poller = p::poll;
      prog = load(p, PerfEventBench.producer(p.fd().acquire()));
    } else {
      MapSpec s = MapSpec.of("bench_rb_loss", MapType.RINGBUF, 0, 0, (int) (pages * page), 0);
      BpfRingBuf<Pair> r = new BpfRingBuf<>(MapFd.create(s), s, PairCodec.INSTANCE);
      handle = r;
      poller = r::poll;
      // flags 0: the kernel wakes the reader when it had caught up; XDP_PASS, as c/eventbench.c
      prog = load(r, RingBufBench.producer(r.fd().acquire(), 0, XDP_PASS));
    }
    Reader reader = new Reader(poller, online[1]);
    try {
      reader.start();
      ladder(op, prog, reader, perf ? env("BENCH_LOSS_WAKEUP", 1) : 0);
    } finally {
      reader.stop = true;
      reader.join(5000);
      BpfSys.close(prog);
      handle.close();
    }
    if (reader.failure != null) {
      throw new IllegalStateException(op + ": the reader failed", reader.failure);
    }
    if (reader.publishedSum != 42L * reader.published) {
      throw new IllegalStateException(op + ": " + reader.published + " events summed to "
          + reader.publishedSum + ", not 42 each");
    }
  }

  private static int load(BpfMapHandle map, byte[] insns) {
    try {
      return BpfSys.progLoad(new ProgLoad().type(XDP).name("bench_loss").insns(insns));
    } finally {
      map.fd().release();
    }
  }

  private static void ladder(String op, int prog, Reader reader, long wakeup) throws InterruptedException {
    long ms = env("BENCH_LOSS_MS", 1000);
    int batch = (int) env("BENCH_LOSS_BATCH", 256);
    String rates = System.getenv().getOrDefault("BENCH_LOSS_RATES",
        "50000 100000 200000 400000 800000 1600000 3200000");
    long warmupMs = env("BENCH_LOSS_WARMUP_MS", 2000);
    double maxLossless = 0;
    long firstLossy = 0;
    String[] steps = rates.trim().split("[ ,]+");
    // Unreported, as in C: the reader's code is compiled before the first reported step.
    produce(prog, batch, Long.parseLong(steps[0]), warmupMs);
    Thread.sleep(200);
    for (String token : steps) {
      long rate = Long.parseLong(token);
      if (rate == 0) {
        continue;
      }
      long s0 = reader.published;
      long t0 = System.nanoTime();
      long produced = produce(prog, batch, rate, ms);
      long tEnd = System.nanoTime();
      Thread.sleep(200);
      if (reader.failure != null) {
        break;
      }
      long delivered = reader.published - s0;
      long lost = produced - delivered;
      double achieved = produced * 1e9 / (tEnd - t0);
      System.out.printf(Locale.ROOT, "loss op=%s rate=%d achieved=%.0f produced=%d delivered=%d lost=%d%n",
          op, rate, achieved, produced, delivered, lost);
      if (lost != 0 && firstLossy == 0) {
        firstLossy = rate;
      }
      if (lost == 0 && firstLossy == 0 && achieved > maxLossless) {
        maxLossless = achieved;
      }
      if (achieved < 0.9 * rate) {
        break; // the producer's limit: higher targets cannot be reached
      }
    }
    System.out.printf(Locale.ROOT, "op=%s max_lossless=%.0f first_lossy=%d batch=%d ms=%d wakeup=%d%n", op,
        maxLossless, firstLossy, batch, ms, wakeup);
  }

  /** Test runs of {@code batch} events, each at its due time for {@code rate}, for {@code ms}. */
  private static long produce(int prog, int batch, long rate, long ms) {
    if (rate <= 0 || ms <= 0) {
      return 0;
    }
    byte[] packet = new byte[64];
    long produced = 0;
    long t0 = System.nanoTime();
    long deadline = t0 + ms * 1_000_000L;
    for (long k = 0;; k++) {
      long due = t0 + (long) ((double) k * batch * 1e9 / rate);
      if (due >= deadline) {
        return produced;
      }
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      BpfSys.progTestRun(prog, packet, 0, batch);
      produced += batch;
    }
  }

  /** Moves the calling thread to {@code cpu}. */
  static void pin(int cpu) {
    ByteBuffer mask = ByteBuffer.allocateDirect(128);
    mask.put(cpu / 8, (byte) (1 << (cpu % 8)));
    LibC.sched_setaffinity(0, 128, Scratch.address(mask));
  }

  /**
   * With {@code BENCH_LOSS_FIFO=1} ({@code bench.sh --loss} sets it when {@code BENCH_PRIO} is
   * given): the calling thread to {@code SCHED_FIFO} priority 1, as {@code chrt -f 1} puts the C
   * process's two threads. Only the producer and the reader: a JVM started under {@code chrt} would
   * also give its JIT compiler threads that priority, and a compilation on the reader's CPU could
   * then hold the reader off for tens of milliseconds, which no real deployment arranges.
   */
  static void realTime() {
    if (!"1".equals(System.getenv("BENCH_LOSS_FIFO"))) {
      return;
    }
    String arch = System.getProperty("os.arch");
    long nr = arch.equals("amd64") || arch.equals("x86_64") ? 144 : arch.equals("aarch64") ? 119 : -1;
    if (nr < 0) {
      throw new IllegalStateException("BENCH_LOSS_FIFO: no sched_setscheduler number known for " + arch);
    }
    ByteBuffer param = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putInt(0, 1);
    // sched_setscheduler(0 = this thread, SCHED_FIFO = 1, &{ .sched_priority = 1 })
    if (LibC.syscall(nr, 0, 1, Scratch.address(param), 0, 0) != 0) {
      throw new IllegalStateException("BENCH_LOSS_FIFO: sched_setscheduler(SCHED_FIFO) failed (needs root)");
    }
  }

  private static long env(String name, long def) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? def : Long.parseLong(v.trim());
  }
}
