package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Packets;
import io.github.bpfmaps.runtime.TestRunResult;
import java.io.PrintStream;
import java.util.List;

/**
 * Loads {@code xdp_counter.bpf.o}, sends a few packets of different sizes through its XDP program
 * with {@code BPF_PROG_TEST_RUN} (no network interface needed), and prints the typed {@code
 * xdp_stats} map: packets and bytes per XDP action.
 *
 * <pre>
 * java -cp bpfmaps-samples.jar:bpfmaps-runtime.jar:jna.jar io.github.bpfmaps.samples.XdpCounterDemo
 * </pre>
 *
 * <p>Needs root or CAP_BPF (and CAP_NET_ADMIN for XDP test runs on older kernels); without them it
 * says what is missing and exits with status 1.
 */
public final class XdpCounterDemo {
  /** {@code enum xdp_action}, in kernel order. */
  static final List<String> ACTIONS = List.of("XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT");

  /** The frame sizes the demo sends: a minimal UDP datagram, a small and a large TCP segment, a full frame. */
  static final int[] SIZES = {42, 128, 512, 1514};

  private XdpCounterDemo() {}

  /** Runs the demo; exits 0 on success, 1 when bpf(2) is not permitted or the load fails. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  /** The demo, printing to {@code out} (and problems to {@code err}); returns the exit status. */
  static int run(PrintStream out, PrintStream err) {
    return SampleRun.guarded("xdp_counter", err, () -> {
      try (BpfObject obj = SampleObjects.open("xdp_counter").load();
          XdpStatsMap stats = XdpStatsMap.bind(obj)) {
        BpfProgram prog = obj.program("xdp_count");
        int src = Packets.ipv4(192, 0, 2, 1);
        int dst = Packets.ipv4(198, 51, 100, 7);
        for (int size : SIZES) {
          byte[] frame = size < 54 ? Packets.udp(src, dst, 40000, 53, size) : Packets.tcp(src, dst, 40000, 443, size);
          TestRunResult r = prog.testRun(frame, 1);
          out.printf("sent %4d bytes -> %s%n", size, action(r.retval()));
        }
        out.println();
        out.printf("%-13s %8s %10s%n", "action", "packets", "bytes");
        for (int a = 0; a < ACTIONS.size(); a++) {
          DataRec rec = stats.get(a);
          out.printf("%-13s %8d %10d%n", ACTIONS.get(a), rec.packets(), rec.bytes());
        }
        return 0;
      }
    });
  }

  static String action(int retval) {
    return retval >= 0 && retval < ACTIONS.size() ? ACTIONS.get(retval) : "action " + retval;
  }
}
