package io.github.bpfmaps.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A veth pair made for one test: {@link #host} in this network namespace with {@link #hostIp}, its
 * peer in a fresh namespace {@link #netns} with {@link #peerIp}, on a random /24 of 10.0.0.0/8, all
 * names unique (they carry "att", this branch, and random hex) so tests of other worktrees running
 * at the same time never meet them. {@link #close()} deletes the namespace and the pair.
 */
public final class VethPair implements AutoCloseable {
  public final String host;
  public final String peer;
  public final String netns;
  public final String hostIp;
  public final String peerIp;

  private VethPair(String tag, int b, int c) {
    host = "att" + tag + "h";
    peer = "att" + tag + "p";
    netns = "bpfmaps-attach-" + tag;
    hostIp = "10." + b + "." + c + ".1";
    peerIp = "10." + b + "." + c + ".2";
  }

  /** Makes the pair, or skips the test when {@code ip} is missing or not permitted. */
  public static VethPair create() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    VethPair v = new VethPair(String.format("%06x", r.nextInt(1 << 24)), 100 + r.nextInt(150), r.nextInt(250));
    assumeTrue(run("ip", "link", "show", "lo") == 0, "no working `ip` (iproute2) or no permission");
    try {
      must("ip", "netns", "add", v.netns);
      must("ip", "link", "add", v.host, "type", "veth", "peer", "name", v.peer);
      must("ip", "link", "set", v.peer, "netns", v.netns);
      must("ip", "addr", "add", v.hostIp + "/24", "dev", v.host);
      must("ip", "link", "set", v.host, "up");
      must("ip", "-n", v.netns, "addr", "add", v.peerIp + "/24", "dev", v.peer);
      must("ip", "-n", v.netns, "link", "set", v.peer, "up");
      must("ip", "-n", v.netns, "link", "set", "lo", "up");
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  /**
   * Pings {@link #hostIp} from the namespace {@code count} times, {@code intervalSeconds} apart
   * (0.01 and less needs root), and returns ping's output; bounded by ping's own deadline.
   */
  public String pingHostFromPeer(int count, String intervalSeconds) {
    return output("ip", "netns", "exec", netns, "ping", "-c", Integer.toString(count), "-i", intervalSeconds,
        "-W", "1", "-w", Integer.toString(5 + count / 10), hostIp);
  }

  /** How many echo replies ping reported in {@code output} ({@code "N received"}). */
  public static int received(String output) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) (packets )?received").matcher(output);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  @Override
  public void close() {
    run("ip", "link", "del", host);
    run("ip", "netns", "del", netns);
  }

  static int run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static void must(String... cmd) {
    String out = output(cmd);
    if (out.startsWith("!exit")) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** The command's combined output; prefixed with "!exit N" when it failed. */
  static String output(String... cmd) {
    List<String> c = new ArrayList<>(List.of(cmd));
    try {
      Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "!exit timeout " + out;
      }
      return p.exitValue() == 0 ? out : "!exit " + p.exitValue() + " " + out;
    } catch (IOException e) {
      return "!exit " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "!exit interrupted";
    }
  }
}
