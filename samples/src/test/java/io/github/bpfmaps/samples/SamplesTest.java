package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import org.junit.jupiter.api.Test;

class SamplesTest {
  @Test
  void withoutANameItListsEverySampleWithItsDescription() {
    Ran ran = Ran.run(Samples::run);
    assertEquals(0, ran.status(), ran.toString());
    for (Samples.Sample s : Samples.ALL) {
      assertTrue(ran.out().matches("(?s).*\\n  " + s.name() + " +\\Q" + s.description() + "\\E\\n.*"), ran.toString());
    }
    assertEquals(Samples.ALL.size() + 1, ran.lines().size(), "a usage line and one line per sample");
  }

  @Test
  void anUnknownNameIsAUsageErrorThatListsTheSamples() {
    Ran ran = Ran.run(Samples::run, "flow");
    assertEquals(2, ran.status(), ran.toString());
    assertTrue(ran.err().startsWith("no sample named 'flow'\n"), ran.toString());
    assertTrue(ran.err().contains("  flows "), ran.toString());
    assertTrue(ran.out().isEmpty(), ran.toString());
  }

  @Test
  void aNameRunsThatSampleAndPassesItTheRemainingArguments() {
    Ran usage = Ran.run(Samples::run, "pinned");
    assertEquals(2, usage.status(), "pinned without a command: " + usage);
    assertTrue(usage.err().startsWith("usage: PinnedReuseDemo"), usage.toString());

    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Ran viaSamples = Ran.run(Samples::run, "legacy");
    Ran direct = Ran.run((args, out, err) -> LegacyMapsDemo.run(out, err));
    assertEquals(0, viaSamples.status(), viaSamples.toString());
    assertEquals(direct.out(), viaSamples.out());
  }

  @Test
  void everySampleNamesItsObject() {
    for (Samples.Sample s : Samples.ALL) {
      assertTrue(s.description().matches(".*\\(\\w+\\.bpf\\.o\\)"), s.name() + ": " + s.description());
    }
  }
}
