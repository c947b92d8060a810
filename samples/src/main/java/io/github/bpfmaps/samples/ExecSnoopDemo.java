package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfLink;
import io.github.bpfmaps.runtime.BpfObject;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.ToIntFunction;

/**
 * An exec snooper: attaches {@code exec_snoop.bpf.o}'s program to the tracepoint {@code
 * syscalls/sys_enter_execve} through a BPF link (from its section name, {@code
 * BpfProgram.attach()}), then prints each {@code execve} on the machine as a typed {@link
 * ExecEvents.Event} read from the ring buffer, for a few seconds. With {@code --perf} the same
 * events come through a perf event array instead ({@code exec_snoop_perf.bpf.o}, {@code
 * bpf_perf_event_output}, one ring per CPU read by {@link ExecPerfMap}), as tools written for
 * kernels before 5.8 do; samples the kernel could not fit are counted and printed.
 *
 * <pre>
 * ./demo exec-snoop                        watch for 5 seconds
 * ./demo exec-snoop 2 /bin/true            watch for 2 seconds, running /bin/true once attached
 * ./demo exec-snoop --perf 2 /bin/true     the same through a PERF_EVENT_ARRAY
 * </pre>
 */
public final class ExecSnoopDemo {
  private ExecSnoopDemo() {}

  /**
   * The demo: {@code args[0]} the seconds to watch (5 if absent), the rest a command to run once
   * attached (its pid is printed, so its exec can be found in the output). Returns the exit status.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    boolean perf = args.length > 0 && args[0].equals("--perf");
    if (perf) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    String[] command = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[0];
    String[] cmd = command;
    return SampleRun.guarded("exec-snoop", err, () -> perf
        ? snoopPerf(seconds, cmd, out, err)
        : snoopRingBuf(seconds, cmd, out, err));
  }

  private static int snoopRingBuf(double seconds, String[] command, PrintStream out, PrintStream err) {
    try (BpfObject obj = SampleObjects.open("exec_snoop").load();
        ExecEventsMap events = ExecEventsMap.bind(obj);
        BpfLink link = obj.program("snoop_execve").attach()) {
      if (!started(link, "snoop_execve", command, out, err)) {
        return 1;
      }
      int seen = watch(seconds, timeout -> events.poll(timeout,
          e -> out.printf("%-7d %-5d %-16s %s%n", e.pid(), e.uid(), e.comm(), e.filename())));
      out.println(seen + " execs in " + seconds + " s");
      return 0;
    }
  }

  private static int snoopPerf(double seconds, String[] command, PrintStream out, PrintStream err) {
    try (BpfObject obj = SampleObjects.open("exec_snoop_perf").load();
        ExecPerfMap events = ExecPerfMap.bind(obj)) {
      // The rings exist before the program can write to them: output with no ring is dropped.
      events.open();
      try (BpfLink link = obj.program("snoop_execve_perf").attach()) {
        if (!started(link, "snoop_execve_perf", command, out, err)) {
          return 1;
        }
        int seen = watch(seconds, timeout -> events.poll(timeout,
            e -> out.printf("%-7d %-5d %-16s %s%n", e.pid(), e.uid(), e.comm(), e.filename())));
        out.println(seen + " execs in " + seconds + " s (perf event array, " + events.lost() + " lost)");
        return 0;
      }
    }
  }

  /** Prints the attachment and the header, and runs {@code command}; false if it could not run. */
  private static boolean started(BpfLink link, String program, String[] command, PrintStream out, PrintStream err) {
    out.println("attached " + program + " to " + link.hook() + " (link id " + link.id() + ")");
    out.printf("%-7s %-5s %-16s %s%n", "PID", "UID", "COMM", "FILENAME");
    if (command.length == 0) {
      return true;
    }
    try {
      Process p = new ProcessBuilder(command).inheritIO().start();
      out.println("ran " + String.join(" ", command) + " as pid " + p.pid());
      p.waitFor();
      return true;
    } catch (IOException e) {
      err.println("exec-snoop: could not run " + String.join(" ", command) + ": " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Polls for {@code seconds}, at most 200 ms at a time; the number of events delivered. */
  private static int watch(double seconds, ToIntFunction<Duration> poll) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int seen = 0;
    while (System.nanoTime() < end) {
      long leftMs = Math.max(1, (end - System.nanoTime()) / 1_000_000);
      seen += poll.applyAsInt(Duration.ofMillis(Math.min(leftMs, 200)));
    }
    return seen;
  }
}
