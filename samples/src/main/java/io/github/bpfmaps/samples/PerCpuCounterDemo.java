package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Packets;
import io.github.bpfmaps.runtime.maps.PerCpuValues;
import java.io.PrintStream;
import java.util.stream.IntStream;

/**
 * Loads {@code percpu_counter.bpf.o} and runs its socket filter {@code count_packets} 200,000 times,
 * from several threads at once. The program bumps {@code pkt_count}, a PERCPU_ARRAY, without
 * atomics: each CPU has its own slot. One lookup returns all the slots ({@link PerCpuValues}); the
 * demo prints each CPU's count and their sum, which is exactly the number of runs.
 *
 * <pre>
 * java -cp ... io.github.bpfmaps.samples.PerCpuCounterDemo
 * </pre>
 *
 * <p>Which CPU a run lands on is up to the scheduler (a long batch may even move between its
 * repeats), so the split changes from one invocation to the next; the sum does not.
 */
public final class PerCpuCounterDemo {
  /** {@code BPF_PROG_TEST_RUN} calls, made from several threads at once. */
  static final int BATCHES = 200;
  /** Runs per {@code BPF_PROG_TEST_RUN} call. */
  static final int REPEAT = 1000;

  private PerCpuCounterDemo() {}

  /** Runs the demo; exits 0 on success, 1 when bpf(2) is not permitted or the load fails. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  /** The demo, printing to {@code out} (and problems to {@code err}); returns the exit status. */
  static int run(PrintStream out, PrintStream err) {
    return SampleRun.guarded("percpu_counter", err, () -> {
      try (BpfObject obj = SampleObjects.open("percpu_counter").load();
          PktCountMap counts = PktCountMap.bind(obj)) {
        BpfProgram prog = obj.program("count_packets");
        byte[] frame = Packets.udp(Packets.ipv4(192, 0, 2, 1), Packets.ipv4(198, 51, 100, 7), 40000, 9000, 100);
        // A parallel stream spreads the batches over the common pool's threads, so over the CPUs.
        IntStream.range(0, BATCHES).parallel().forEach(batch -> prog.testRun(frame, REPEAT));

        PerCpuValues<Long> perCpu = counts.getAt(0);
        out.printf("%-4s %8s%n", "cpu", "packets");
        for (int cpu = 0; cpu < perCpu.size(); cpu++) {
          out.printf("%-4d %8d%n", cpu, perCpu.get(cpu));
        }
        out.printf("%-4s %8d  (%d batches of %d runs)%n", "sum", perCpu.sum(Long::longValue), BATCHES, REPEAT);
        return 0;
      }
    });
  }
}
