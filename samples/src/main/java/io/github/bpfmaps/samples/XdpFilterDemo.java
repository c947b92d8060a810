package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfLink;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.Packets;
import io.github.bpfmaps.runtime.TcxDirection;
import java.io.PrintStream;

/**
 * An XDP filter on a real interface: makes a veth pair whose peer lives in a network namespace of
 * its own, attaches {@code xdp_filter.bpf.o}'s XDP program to the near end through a BPF link (driver
 * mode if the driver has it, else generic) and its tc program to the same end's tcx ingress, blocks
 * one of the peer's two addresses in the typed {@code blocked} map, pings from both, and prints what
 * the programs counted. Everything it made is removed at the end.
 *
 * <pre>
 * ./demo xdp-filter
 * </pre>
 */
public final class XdpFilterDemo {
  /** Echo requests sent from each source address. */
  static final int PINGS = 5;

  private XdpFilterDemo() {}

  /** The demo, printing to {@code out} (and problems to {@code err}); returns the exit status. */
  static int run(PrintStream out, PrintStream err) {
    return SampleRun.guarded("xdp-filter", err, () -> {
      VethLab lab;
      try {
        lab = VethLab.create();
      } catch (IllegalStateException e) {
        err.println("xdp-filter needs root and iproute2 to make a veth pair: " + e.getMessage());
        return 1;
      }
      try (lab;
          BpfObject obj = SampleObjects.open("xdp_filter").load();
          VerdictsMap verdicts = VerdictsMap.bind(obj);
          BlockedMap blocked = BlockedMap.bind(obj);
          TcxSeenMap tcx = TcxSeenMap.bind(obj);
          BpfLink xdp = obj.program("xdp_filter").attachXdp(lab.host);
          BpfLink tc = obj.program("tcx_count").attachTcx(lab.host, TcxDirection.INGRESS)) {
        out.println("veth " + lab.host + " (" + lab.hostIp + ") <-> " + lab.peer + " in netns " + lab.netns
            + " (" + lab.peerIp + ", " + lab.otherPeerIp + ")");
        out.println("attached xdp_filter: " + xdp.hook() + " (link id " + xdp.id() + ")");
        out.println("attached tcx_count: " + tc.hook() + " (link id " + tc.id() + ")");
        blocked.set(new Blocked.Source(Packets.ipv4(lab.otherPeerIp)), 0L);
        out.println("blocked " + lab.otherPeerIp);
        out.println();
        int allowed = lab.ping(lab.peerIp, PINGS);
        int denied = lab.ping(lab.otherPeerIp, PINGS);
        out.printf("ping from %-15s %d/%d replies%n", lab.peerIp, allowed, PINGS);
        out.printf("ping from %-15s %d/%d replies (blocked)%n", lab.otherPeerIp, denied, PINGS);
        out.println();
        out.printf("%-13s %8s %10s%n", "verdict", "packets", "bytes");
        for (int action : new int[] {1, 2}) {
          DataRec r = verdicts.get(action);
          out.printf("%-13s %8d %10d%n", XdpCounterDemo.action(action), r.packets(), r.bytes());
        }
        blocked.forEachEntry((addr, drops) -> out.printf("dropped from %s: %d%n", Packets.dotted(addr.addr()), drops));
        DataRec seen = tcx.get(0);
        out.printf("tcx ingress saw %d packets, %d bytes (what XDP passed)%n", seen.packets(), seen.bytes());
        return 0;
      }
    });
  }
}
