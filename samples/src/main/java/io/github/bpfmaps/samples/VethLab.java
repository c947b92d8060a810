package io.github.bpfmaps.samples;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A veth pair for the network samples: {@link #host} here with {@link #hostIp}, its peer in a
 * network namespace of its own with two addresses, {@link #peerIp} and {@link #otherPeerIp}, on a
 * random 10.x.y.0/24. Names carry random hex so that several runs (and tests) never meet. {@link
 * #close()} deletes the namespace and the pair. Needs root and iproute2.
 */
final class VethLab implements AutoCloseable {
  final String host;
  final String peer;
  final String netns;
  final String hostIp;
  final String peerIp;
  final String otherPeerIp;

  private VethLab(String tag, int b, int c) {
    host = "bfx" + tag + "h";
    peer = "bfx" + tag + "p";
    netns = "bpfmaps-sample-" + tag;
    hostIp = "10." + b + "." + c + ".1";
    peerIp = "10." + b + "." + c + ".2";
    otherPeerIp = "10." + b + "." + c + ".3";
  }

  /** Makes the pair and namespace; on failure removes what it made and throws with ip's message. */
  static VethLab create() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    VethLab lab = new VethLab(String.format("%06x", r.nextInt(1 << 24)), 100 + r.nextInt(150), r.nextInt(250));
    try {
      Shell.must("ip", "netns", "add", lab.netns);
      Shell.must("ip", "link", "add", lab.host, "type", "veth", "peer", "name", lab.peer);
      Shell.must("ip", "link", "set", lab.peer, "netns", lab.netns);
      Shell.must("ip", "addr", "add", lab.hostIp + "/24", "dev", lab.host);
      Shell.must("ip", "link", "set", lab.host, "up");
      Shell.must("ip", "-n", lab.netns, "addr", "add", lab.peerIp + "/24", "dev", lab.peer);
      Shell.must("ip", "-n", lab.netns, "addr", "add", lab.otherPeerIp + "/24", "dev", lab.peer);
      Shell.must("ip", "-n", lab.netns, "link", "set", lab.peer, "up");
      Shell.must("ip", "-n", lab.netns, "link", "set", "lo", "up");
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /**
   * Pings {@link #hostIp} from the namespace with source address {@code from}, {@code count} echo
   * requests 50 ms apart (then at most 1 s for the last reply), and returns how many replies came back.
   */
  int ping(String from, int count) {
    // No -w deadline: with one, ping keeps sending until `count` replies or the deadline, and a
    // blocked source would send far more than `count` requests.
    Shell.Result r = Shell.run("ip", "netns", "exec", netns, "ping", "-c", Integer.toString(count), "-i", "0.05",
        "-W", "1", "-I", from, hostIp);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) (packets )?received").matcher(r.output());
    if (!m.find()) {
      throw new IllegalStateException("ping from " + from + " printed no summary: " + r.output().trim());
    }
    return Integer.parseInt(m.group(1));
  }

  @Override
  public void close() {
    Shell.run("ip", "link", "del", host);
    Shell.run("ip", "netns", "del", netns);
  }
}
