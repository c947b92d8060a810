package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfLink;
import io.github.bpfmaps.runtime.BpfObject;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * An exec snooper: attaches {@code exec_snoop.bpf.o}'s program to the tracepoint {@code
 * syscalls/sys_enter_execve} through a BPF link (from its section name, {@code
 * BpfProgram.attach()}), then prints each {@code execve} on the machine as a typed {@link
 * ExecEvents.Event} read from the ring buffer, for a few seconds.
 *
 * <pre>
 * ./demo exec-snoop                 watch for 5 seconds
 * ./demo exec-snoop 2 /bin/true     watch for 2 seconds, running /bin/true once attached
 * </pre>
 */
public final class ExecSnoopDemo {
  private ExecSnoopDemo() {}

  /**
   * The demo: {@code args[0]} the seconds to watch (5 if absent), the rest a command to run once
   * attached (its pid is printed, so its exec can be found in the output). Returns the exit status.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    String[] command = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[0];
    return SampleRun.guarded("exec-snoop", err, () -> {
      try (BpfObject obj = SampleObjects.open("exec_snoop").load();
          ExecEventsMap events = ExecEventsMap.bind(obj);
          BpfLink link = obj.program("snoop_execve").attach()) {
        out.println("attached snoop_execve to " + link.hook() + " (link id " + link.id() + ")");
        out.printf("%-7s %-5s %-16s %s%n", "PID", "UID", "COMM", "FILENAME");
        if (command.length > 0) {
          try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            out.println("ran " + String.join(" ", command) + " as pid " + p.pid());
            p.waitFor();
          } catch (IOException e) {
            err.println("exec-snoop: could not run " + String.join(" ", command) + ": " + e.getMessage());
            return 1;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
          }
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int seen = 0;
        while (System.nanoTime() < end) {
          long leftMs = Math.max(1, (end - System.nanoTime()) / 1_000_000);
          seen += events.poll(Duration.ofMillis(Math.min(leftMs, 200)),
              e -> out.printf("%-7d %-5d %-16s %s%n", e.pid(), e.uid(), e.comm(), e.filename()));
        }
        out.println(seen + " execs in " + seconds + " s");
        return 0;
      }
    });
  }
}
