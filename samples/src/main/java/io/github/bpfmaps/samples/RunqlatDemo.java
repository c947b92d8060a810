package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfLinks;
import io.github.bpfmaps.runtime.BpfObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Run-queue latency, as bcc's runqlat: loads {@code runqlat.bpf.o}, whose {@code tp_btf} programs on
 * {@code sched_wakeup}, {@code sched_wakeup_new} and {@code sched_switch} measure how long each task
 * waits between becoming runnable and running, attaches them all with {@code attachAll()}, makes
 * some scheduler load itself (more threads than CPUs, each running briefly and sleeping), and prints
 * the typed {@code runq_hist} map as a log2 bar chart.
 *
 * <pre>
 * ./demo runqlat          3 seconds
 * ./demo runqlat 10       10 seconds
 * </pre>
 */
public final class RunqlatDemo {
  private RunqlatDemo() {}

  /** The demo: {@code args[0]} the seconds to measure (3). Returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    return SampleRun.guarded("runqlat", err, () -> {
      try (BpfObject obj = SampleObjects.open("runqlat").load();
          RunqHistMap hist = RunqHistMap.bind(obj)) {
        try (BpfLinks links = obj.attachAll()) {
          out.println("attached " + links.size() + " programs: "
              + String.join(", ", links.links().stream().map(l -> l.program() + " (" + l.hook() + ")").toList()));
          out.println("tracing run queue latency for " + seconds + " s under load...");
          load((long) (seconds * 1e9));
        }
        long[] counts = new long[32];
        for (int i = 0; i < counts.length; i++) {
          counts[i] = hist.getLongAt(i, 0);
        }
        print(counts, out);
        return 0;
      }
    });
  }

  /** Twice as many threads as CPUs, each spinning ~200 µs then sleeping ~100 µs, for {@code nanos}. */
  private static void load(long nanos) {
    long end = System.nanoTime() + nanos;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2 * Runtime.getRuntime().availableProcessors(); t++) {
      Thread th = new Thread(() -> {
        long x = 0;
        while (System.nanoTime() < end) {
          long spin = System.nanoTime() + 200_000;
          while (System.nanoTime() < spin) {
            x++;
          }
          LockSupport.parkNanos(100_000);
        }
        if (x == 42) {
          System.out.print(""); // keeps the loop from being optimized away
        }
      }, "runqlat-load-" + t);
      th.setDaemon(true);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** bcc's layout: one row per non-empty log2 slot, from the first to the last, bars of 40 stars at most. */
  static void print(long[] counts, PrintStream out) {
    int first = -1;
    int last = -1;
    long max = 0;
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        first = first < 0 ? i : first;
        last = i;
        max = Math.max(max, counts[i]);
        total += counts[i];
      }
    }
    out.printf("%n%20s : %-8s %s%n", "usecs", "count", "distribution");
    for (int i = Math.max(first, 0); i <= last; i++) {
      long lo = i == 0 ? 0 : 1L << i;
      long hi = (1L << (i + 1)) - 1;
      int stars = (int) (counts[i] * 40 / max);
      out.printf("%9d -> %-9d : %-8d |%-40s|%n", lo, hi, counts[i], "*".repeat(stars));
    }
    out.println(total + " wakeups measured");
  }
}
