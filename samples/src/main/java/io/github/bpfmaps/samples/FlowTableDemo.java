package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Packets;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.Map;

/**
 * Loads {@code flows.bpf.o}, sends the frames of a few TCP and UDP conversations through its XDP
 * program {@code xdp_flows}, and prints the {@code flows} hash map busiest first: one row per
 * direction of each flow, its addresses and ports decoded from network byte order by the generated
 * codec.
 *
 * <pre>
 * java -cp ... io.github.bpfmaps.samples.FlowTableDemo
 * </pre>
 *
 * <p>{@code flows} is pinned by name, but only when a pin root is given at load; this demo gives
 * none, so the table goes away with the process ({@link PinnedReuseDemo} keeps it).
 */
public final class FlowTableDemo {
  static final int LAPTOP = Packets.ipv4(192, 0, 2, 10);
  static final int PRINTER = Packets.ipv4(192, 0, 2, 20);
  static final int WEB = Packets.ipv4(198, 51, 100, 80);
  static final int DNS = Packets.ipv4(198, 51, 100, 53);
  static final int NTP = Packets.ipv4(203, 0, 113, 123);

  private FlowTableDemo() {}

  /** Runs the demo; exits 0 on success, 1 when bpf(2) is not permitted or the load fails. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  /** The demo, printing to {@code out} (and problems to {@code err}); returns the exit status. */
  static int run(PrintStream out, PrintStream err) {
    return SampleRun.guarded("flows", err, () -> {
      try (BpfObject obj = SampleObjects.open("flows").load();
          FlowsMap flows = FlowsMap.bind(obj)) {
        sendTraffic(obj.program("xdp_flows"));
        printTable(flows, out);
        return 0;
      }
    });
  }

  /**
   * A DNS lookup, an HTTPS download (small requests out, full frames back), and a printer's clock
   * sync that lost one answer: {@code testRun}'s repeat count runs the program that many times on the
   * same frame.
   */
  static void sendTraffic(BpfProgram xdpFlows) {
    xdpFlows.testRun(Packets.udp(LAPTOP, DNS, 53000, 53, 74), 1);
    xdpFlows.testRun(Packets.udp(DNS, LAPTOP, 53, 53000, 90), 1);
    xdpFlows.testRun(Packets.tcp(LAPTOP, WEB, 51000, 443, 66), 12);
    xdpFlows.testRun(Packets.tcp(WEB, LAPTOP, 443, 51000, 1514), 20);
    xdpFlows.testRun(Packets.udp(PRINTER, NTP, 123, 123, 90), 4);
    xdpFlows.testRun(Packets.udp(NTP, PRINTER, 123, 123, 90), 3);
  }

  /** Prints every flow, most packets first (then most bytes); one map walk. */
  static void printTable(FlowsMap flows, PrintStream out) {
    out.printf("%-5s %-21s %-21s %8s %10s%n", "proto", "source", "destination", "packets", "bytes");
    flows.stream()
        .sorted(Map.Entry.comparingByValue(Comparator.comparingLong(Flows.FlowStats::packets)
            .thenComparingLong(Flows.FlowStats::bytes).reversed()))
        .forEach(e -> {
          Flows.FlowKey k = e.getKey();
          out.printf("%-5s %-21s %-21s %8d %10d%n", protocol(k.proto()), endpoint(k.saddr(), k.sport()),
              endpoint(k.daddr(), k.dport()), e.getValue().packets(), e.getValue().bytes());
        });
  }

  static String protocol(int proto) {
    return switch (proto) {
      case Packets.TCP -> "TCP";
      case Packets.UDP -> "UDP";
      default -> String.valueOf(proto);
    };
  }

  static String endpoint(int address, int port) {
    return Packets.dotted(address) + ":" + port;
  }
}
