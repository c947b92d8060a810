package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExecSnoopDemoTest {
  @Test
  void theSnooperSeesBinTrueExecutedWhileItIsAttached() {
    Ran ran = snoop("1", "/bin/true");
    assertTrue(ran.lines().get(0).startsWith("attached snoop_execve to tracepoint syscalls/sys_enter_execve"),
        ran.toString());
    assertSawBinTrue(ran);
    assertTrue(ran.lines().get(ran.lines().size() - 1).matches("\\d+ execs in 1\\.0 s"), ran.toString());
  }

  @Test
  void thePerfEventArraySnooperSeesBinTrueToo() {
    Ran ran = snoop("--perf", "1", "/bin/true");
    assertTrue(ran.lines().get(0).startsWith(
        "attached snoop_execve_perf to tracepoint syscalls/sys_enter_execve"), ran.toString());
    assertSawBinTrue(ran);
    assertTrue(ran.lines().get(ran.lines().size() - 1)
        .matches("\\d+ execs in 1\\.0 s \\(perf event array, \\d+ lost\\)"), ran.toString());
  }

  private static Ran snoop(String... args) {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    assumeTrue(Files.isDirectory(Path.of("/sys/kernel/tracing/events/syscalls")), "tracefs not mounted");
    Ran ran = Ran.run(ExecSnoopDemo::run, args);
    assertEquals(0, ran.status(), ran.toString());
    return ran;
  }

  private static void assertSawBinTrue(Ran ran) {
    Matcher pid = Pattern.compile("ran /bin/true as pid (\\d+)").matcher(ran.out());
    assertTrue(pid.find(), ran.toString());
    // the line of that exec: its pid, and the file it asked for
    boolean seen = ran.lines().stream().map(l -> l.trim().split("\\s+"))
        .anyMatch(f -> f.length >= 4 && f[0].equals(pid.group(1)) && f[f.length - 1].equals("/bin/true"));
    assertTrue(seen, "no execve of /bin/true by pid " + pid.group(1) + " in\n" + ran);
  }
}
