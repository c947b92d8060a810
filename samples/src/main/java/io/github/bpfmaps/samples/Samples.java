package io.github.bpfmaps.samples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * One entry point for every runnable sample: {@code Samples <name> [args]} runs one, {@code
 * Samples} alone lists them.
 *
 * <pre>
 * java -cp ... io.github.bpfmaps.samples.Samples flows
 * java -cp ... io.github.bpfmaps.samples.Samples pinned write /sys/fs/bpf/demo
 * </pre>
 */
public final class Samples {
  /** A sample's body: its arguments (after the name) in, exit status out. */
  interface Body {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  /** A runnable sample: the name to choose it by, a line saying what it shows, and its body. */
  record Sample(String name, String description, Body body) {}

  /** Every sample, in the order a newcomer might read them. */
  static final List<Sample> ALL = List.of(
      new Sample("xdp-counter", "ARRAY: packets and bytes per XDP action (xdp_counter.bpf.o)",
          (args, out, err) -> XdpCounterDemo.run(out, err)),
      new Sample("flows", "HASH with a network-order key: the flow table, busiest first (flows.bpf.o)",
          (args, out, err) -> FlowTableDemo.run(out, err)),
      new Sample("events", "RINGBUF records as typed values, and a QUEUE popped (events.bpf.o)",
          (args, out, err) -> EventsDemo.run(out, err)),
      new Sample("percpu", "PERCPU_ARRAY: each CPU's count and their sum (percpu_counter.bpf.o)",
          (args, out, err) -> PerCpuCounterDemo.run(out, err)),
      new Sample("pinned", "write|read|clean [pinRoot]: a pinned map reused by a second process (flows.bpf.o)",
          PinnedReuseDemo::run),
      new Sample("legacy", "SEC(\"maps\") definitions libbpf 1.x refuses: protocol and length counts"
          + " (legacy_maps.bpf.o)", (args, out, err) -> LegacyMapsDemo.run(out, err)),
      new Sample("exec-snoop", "[--perf] [seconds [command...]]: every execve from a tracepoint, through a RINGBUF"
          + " (exec_snoop.bpf.o) or a PERF_EVENT_ARRAY (exec_snoop_perf.bpf.o)", ExecSnoopDemo::run),
      new Sample("xdp-filter", "XDP drop filter and tcx counter linked to a veth pair it makes (xdp_filter.bpf.o)",
          (args, out, err) -> XdpFilterDemo.run(out, err)),
      new Sample("profile", "[seconds [hz]]: perf_event on every CPU, STACK_TRACE stacks symbolized from"
          + " /proc/kallsyms (profile.bpf.o)", ProfileDemo::run),
      new Sample("runqlat", "[seconds]: run-queue latency from tp_btf sched tracepoints, a log2 histogram"
          + " (runqlat.bpf.o)", RunqlatDemo::run),
      new Sample("user-commands", "USER_RINGBUF: Java offers commands, an XDP program drains them and answers"
          + " in an array (user_commands.bpf.o)", (args, out, err) -> UserCommandsDemo.run(out, err)),
      new Sample("metrics", "[--port N] [--seconds S]: /metrics for Prometheus from the annotated records,"
          + " with a log2 size histogram (xdp_sizes.bpf.o)", MetricsDemo::run));

  private Samples() {}

  /** Runs the sample named by {@code args[0]} with the rest of {@code args}, or lists the samples. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the sample {@code args[0]} and returns its exit status; with no arguments prints the list
   * and returns 0, with an unknown name prints it to {@code err} and returns 2.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      list(out);
      return 0;
    }
    for (Sample s : ALL) {
      if (s.name().equals(args[0])) {
        return s.body().run(Arrays.copyOfRange(args, 1, args.length), out, err);
      }
    }
    err.println("no sample named '" + args[0] + "'");
    list(err);
    return 2;
  }

  private static void list(PrintStream to) {
    to.println("usage: Samples <name> [args]   (needs root or CAP_BPF)");
    for (Sample s : ALL) {
      to.printf("  %-12s %s%n", s.name(), s.description());
    }
  }
}
