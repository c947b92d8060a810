package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfLinks;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.PerfEventType;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A sampling profiler: attaches {@code profile.bpf.o}'s {@code perf_event} program to a software
 * cpu-clock event on every CPU (one link per CPU, one handle for all), keeps a thread busy in the
 * kernel meanwhile (reading {@code /proc/self/stat}), then prints the hottest stacks with their
 * kernel frames symbolized from {@code /proc/kallsyms}.
 *
 * <pre>
 * ./demo profile            sample for 2 seconds at 99 Hz per CPU
 * ./demo profile 5 499      5 seconds at 499 Hz
 * </pre>
 */
public final class ProfileDemo {
  private ProfileDemo() {}

  /** The demo: {@code args[0]} seconds (2), {@code args[1]} samples per second per CPU (99). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    long hz = args.length > 1 ? Long.parseLong(args[1]) : 99;
    return SampleRun.guarded("profile", err, () -> {
      KernelSymbols ksyms = KernelSymbols.load();
      try (BpfObject obj = SampleObjects.open("profile").load();
          StacksMap stacks = StacksMap.bind(obj);
          StackCountsMap counts = StackCountsMap.bind(obj)) {
        try (BpfLinks links = obj.program("profile_tick").attachPerfEvent(PerfEventType.CPU_CLOCK, hz)) {
          out.println("sampling cpu-clock at " + hz + " Hz on " + links.size() + " CPUs for " + seconds + " s");
          busyInKernel((long) (seconds * 1e9));
        }
        List<Map.Entry<StackCounts.Key, Long>> hot = counts.stream()
            .sorted(Comparator.comparing((Map.Entry<StackCounts.Key, Long> e) -> e.getValue()).reversed()).toList();
        long total = hot.stream().mapToLong(Map.Entry::getValue).sum();
        long withKernel = hot.stream().filter(e -> e.getKey().kernelStack() >= 0).mapToLong(Map.Entry::getValue).sum();
        out.println(total + " samples, " + withKernel + " in the kernel, " + hot.size() + " distinct stacks, "
            + ksyms.size() + " kernel symbols");
        int shown = 0;
        for (Map.Entry<StackCounts.Key, Long> e : hot) {
          StackCounts.Key k = e.getKey();
          if (k.kernelStack() < 0 || shown == 5) {
            continue;
          }
          shown++;
          out.println();
          out.printf("%d samples  %s (pid %d)%n", e.getValue(), k.comm(), k.pid());
          Stacks.Trace trace = stacks.get(k.kernelStack());
          long[] ips = trace == null ? null : trace.ips();
          for (int i = 0; ips != null && i < ips.length && ips[i] != 0 && i < 12; i++) {
            out.println("    [k] " + ksyms.name(ips[i]));
          }
          if (k.userStack() >= 0) {
            out.println("    [u] (user stack " + k.userStack() + ")");
          }
        }
        return 0;
      }
    });
  }

  /** Keeps this thread in system calls for {@code nanos}, so that samples land in the kernel. */
  private static void busyInKernel(long nanos) {
    long end = System.nanoTime() + nanos;
    Path stat = Path.of("/proc/self/stat");
    try {
      while (System.nanoTime() < end) {
        Files.readAllBytes(stat);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
