package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Packets;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads {@code legacy_maps.bpf.o}, an object in the pre-BTF style whose maps are {@code struct
 * bpf_map_def} records in {@code SEC("maps")} (libbpf 1.x refuses it; bpfmaps reads it), runs its
 * socket filter {@code count_protocols} on frames of several protocols and lengths, and prints its
 * two maps: {@code proto_count} (ARRAY) and {@code len_hist} (HASH).
 *
 * <pre>
 * java -cp ... io.github.bpfmaps.samples.LegacyMapsDemo
 * </pre>
 *
 * <p>The program keys {@code proto_count} by {@code skb->protocol & 0xff}. {@code skb->protocol}
 * holds the EtherType in network order, so on a little-endian host that is its first byte: IPv4
 * (0x0800) and ARP (0x0806) share slot 0x08, IPv6 (0x86dd) has 0x86. {@code len_hist} counts
 * {@code skb->len / 64}, and a socket filter's {@code skb->len} leaves out the 14-byte Ethernet
 * header.
 */
public final class LegacyMapsDemo {
  /** A frame to send: its EtherType and its length in bytes. */
  record Frame(int etherType, int length) {}

  /** The frames sent, in order. */
  static final List<Frame> FRAMES = List.of(
      new Frame(Packets.IPV4, 60), new Frame(Packets.IPV4, 100), new Frame(Packets.IPV4, 200),
      new Frame(Packets.IPV4, 600), new Frame(Packets.IPV4, 1514),
      new Frame(Packets.ARP, 60), new Frame(Packets.ARP, 60),
      new Frame(Packets.IPV6, 90), new Frame(Packets.IPV6, 300));

  private LegacyMapsDemo() {}

  /** Runs the demo; exits 0 on success, 1 when bpf(2) is not permitted or the load fails. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  /** The demo, printing to {@code out} (and problems to {@code err}); returns the exit status. */
  static int run(PrintStream out, PrintStream err) {
    return SampleRun.guarded("legacy_maps", err, () -> {
      try (BpfObject obj = SampleObjects.open("legacy_maps").load();
          ProtoCountMap protocols = ProtoCountMap.bind(obj);
          LenHistMap lengths = LenHistMap.bind(obj)) {
        BpfProgram prog = obj.program("count_protocols");
        int src = Packets.ipv4(192, 0, 2, 1);
        int dst = Packets.ipv4(198, 51, 100, 7);
        for (Frame f : FRAMES) {
          prog.testRun(f.etherType() == Packets.IPV4 ? Packets.udp(src, dst, 40000, 9000, f.length())
              : Packets.ethernet(f.etherType(), f.length()), 1);
          out.printf("sent %-4s %4d bytes%n", etherTypeName(f.etherType()), f.length());
        }

        out.println();
        out.println("proto_count (ARRAY of 256), the slots that counted:");
        out.printf("%-5s %8s%n", "slot", "packets");
        for (int slot = 0; slot < protocols.length(); slot++) {
          long packets = protocols.getLongAt(slot, 0);
          if (packets != 0) {
            out.printf("0x%02x  %8d%n", slot, packets);
          }
        }

        out.println();
        out.println("len_hist (HASH), packets per 64-byte bucket of skb->len:");
        out.printf("%-11s %8s%n", "skb->len", "packets");
        Map<Integer, Long> histogram = new TreeMap<>(lengths.toMap());
        histogram.forEach((bucket, packets) ->
            out.printf("%4d..%-5d %8d%n", bucket * 64, bucket * 64 + 63, packets));
        return 0;
      }
    });
  }

  static String etherTypeName(int etherType) {
    return switch (etherType) {
      case Packets.IPV4 -> "IPv4";
      case Packets.ARP -> "ARP";
      case Packets.IPV6 -> "IPv6";
      default -> String.format("0x%04x", etherType);
    };
  }
}
