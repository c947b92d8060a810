package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerCpuCounterDemoTest {
  @Test
  void theDemoPrintsOneCountPerPossibleCpuAndASumEqualToTheRuns() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Ran ran = Ran.run((args, out, err) -> PerCpuCounterDemo.run(out, err));
    assertEquals(0, ran.status(), ran.toString());
    List<String> lines = ran.lines();
    int cpus = Bpf.possibleCpus();
    assertEquals(cpus + 2, lines.size(), ran.toString());
    long total = 0;
    for (int cpu = 0; cpu < cpus; cpu++) {
      String[] row = lines.get(1 + cpu).trim().split("\\s+");
      assertEquals(String.valueOf(cpu), row[0], ran.toString());
      total += Long.parseLong(row[1]);
    }
    long runs = (long) PerCpuCounterDemo.BATCHES * PerCpuCounterDemo.REPEAT;
    assertEquals(runs, total, "the slots add up to every run: " + ran);
    String[] sum = lines.get(1 + cpus).trim().split("\\s+");
    assertEquals(List.of("sum", String.valueOf(runs)), List.of(sum[0], sum[1]), ran.toString());
  }
}
