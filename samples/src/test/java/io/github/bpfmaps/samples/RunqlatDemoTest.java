package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RunqlatDemoTest {
  @Test
  void theHistogramCountsTheWakeupsOfTheLoadItMakes() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    assumeTrue(Files.exists(Path.of("/sys/kernel/btf/vmlinux")), "tp_btf needs the kernel's BTF");
    Ran ran = Ran.run(RunqlatDemo::run, "1");
    assertEquals(0, ran.status(), ran.toString());
    assertEquals("attached 3 programs: on_wakeup (tp_btf/sched_wakeup), on_wakeup_new (tp_btf/sched_wakeup_new),"
        + " on_switch (tp_btf/sched_switch)", ran.lines().get(0), ran.toString());
    Pattern row = Pattern.compile("^\\s*(\\d+) -> (\\d+)\\s+: (\\d+)\\s+\\|(\\**)\\s*\\|$");
    long sum = 0;
    long max = 0;
    int rows = 0;
    for (String line : ran.lines()) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        rows++;
        long count = Long.parseLong(m.group(3));
        sum += count;
        max = Math.max(max, count);
        assertEquals(count * 40 / Math.max(1, maxOf(ran.lines(), row)), m.group(4).length(), line);
      }
    }
    assertTrue(rows > 0 && max > 0, ran.toString());
    List<String> lines = ran.lines();
    // the load wakes its threads thousands of times a second
    assertEquals(sum + " wakeups measured", lines.get(lines.size() - 1), ran.toString());
    assertTrue(sum >= 1000, ran.toString());
  }

  static long maxOf(List<String> lines, Pattern row) {
    long max = 0;
    for (String l : lines) {
      Matcher m = row.matcher(l);
      if (m.matches()) {
        max = Math.max(max, Long.parseLong(m.group(3)));
      }
    }
    return max;
  }
}
