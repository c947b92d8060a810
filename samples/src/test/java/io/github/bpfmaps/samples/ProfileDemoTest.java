package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProfileDemoTest {
  /** How many CPUs /sys/devices/system/cpu/online lists ("0-1", "0,2-3"). */
  static int onlineCpus() {
    try {
      int n = 0;
      for (String part : java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
        String[] r = part.split("-");
        n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
      }
      return n;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theProfilerSamplesEveryCpuAndSymbolizesKernelStacks() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Ran ran = Ran.run(ProfileDemo::run, "1", "499");
    assertEquals(0, ran.status(), ran.toString());
    int cpus = onlineCpus();
    assertTrue(ran.lines().get(0).startsWith("sampling cpu-clock at 499 Hz on "), ran.toString());
    Matcher m = Pattern.compile("^(\\d+) samples, (\\d+) in the kernel, (\\d+) distinct stacks, (\\d+) kernel symbols$",
        Pattern.MULTILINE).matcher(ran.out());
    assertTrue(m.find(), ran.toString());
    // the sample keeps one CPU busy for 1 s at 499 Hz: expect well over a hundred samples
    assertTrue(Long.parseLong(m.group(1)) >= 100, ran.toString());
    assertTrue(Long.parseLong(m.group(2)) > 0, ran.toString());
    assertTrue(Long.parseLong(m.group(4)) > 1000, "kallsyms addresses readable as root: " + ran);
    // kernel frames named as symbol+offset
    assertTrue(Pattern.compile("^    \\[k\\] \\w[\\w.]*\\+0x[0-9a-f]+$", Pattern.MULTILINE).matcher(ran.out()).find(),
        ran.toString());
    assertEquals(cpus, Integer.parseInt(ran.lines().get(0).replaceAll(".* on (\\d+) CPUs.*", "$1")), ran.toString());
  }
}
