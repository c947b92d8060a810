package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class XdpFilterDemoTest {
  static long number(String out, String regex) {
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(out);
    assertTrue(m.find(), "no '" + regex + "' in\n" + out);
    return Long.parseLong(m.group(1));
  }

  @Test
  void pingsOverTheVethAreCountedAndTheBlockedAddressIsDropped() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    assumeTrue(Shell.run("ip", "netns", "list").ok(), "no iproute2 or no permission for network namespaces");
    assumeTrue(Shell.run("ping", "-V").ok(), "no ping (iputils-ping)");
    Ran ran = Ran.run((args, out, err) -> XdpFilterDemo.run(out, err));
    assertEquals(0, ran.status(), ran.toString());
    String out = ran.out();
    assertTrue(out.contains("attached xdp_filter: xdp on bfx") && out.contains("driver mode"), out);
    assertTrue(out.contains("attached tcx_count: tcx ingress on bfx"), out);
    int n = XdpFilterDemo.PINGS;
    assertEquals(n, number(out, "^ping from \\S+\\s+(\\d+)/" + n + " replies$"), out);
    assertEquals(0, number(out, "^ping from \\S+\\s+(\\d+)/" + n + " replies \\(blocked\\)$"), out);
    assertEquals(n, number(out, "^dropped from \\S+: (\\d+)$"), out);
    assertEquals(n, number(out, "^XDP_DROP\\s+(\\d+)"), out);
    long passed = number(out, "^XDP_PASS\\s+(\\d+)");
    assertTrue(passed >= n, out);
    // tcx ingress runs after XDP: it sees what XDP passed (less what arrived between the two
    // attachments, such as IPv6 neighbour discovery), and none of the drops
    long tcx = number(out, "^tcx ingress saw (\\d+) packets");
    assertTrue(tcx >= n && tcx <= passed, out);

    String iface = Pattern.compile("veth (\\S+) ").matcher(out).results().findFirst().orElseThrow().group(1);
    assertFalse(Shell.run("ip", "link", "show", iface).ok(), "the sample removes its veth pair");
    String netns = Pattern.compile("in netns (\\S+) ").matcher(out).results().findFirst().orElseThrow().group(1);
    assertFalse(List.of(Shell.run("ip", "netns", "list").output().split("\\s+")).contains(netns));
  }
}
