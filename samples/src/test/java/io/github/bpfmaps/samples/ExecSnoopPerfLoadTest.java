package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import org.junit.jupiter.api.Test;

/**
 * The perf event array variant of the exec snooper: its object loads (the map declared with
 * max_entries 0 gets one slot per possible CPU), the generated handle binds to it and opens a ring
 * on every online CPU. Catching real execs needs the tracepoint attached (the attach API's
 * ExecSnoopDemo does that for the ring buffer variant); unattached, the rings stay empty.
 */
class ExecSnoopPerfLoadTest {
  @Test
  void thePerfVariantBindsAndOpensARingPerOnlineCpu() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    try (BpfObject obj = SampleObjects.open("exec_snoop_perf").load();
        ExecPerfMap perf = ExecPerfMap.bind(obj)) {
      assertEquals(Bpf.possibleCpus(), perf.info().maxEntries());
      perf.open();
      assertArrayEquals(Bpf.onlineCpus(), perf.cpus());
      assertEquals(0, perf.readAvailable(e -> { }), "not attached: no exec is reported");
      assertEquals(0, perf.lost());
    }
  }
}
