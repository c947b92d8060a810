package io.github.bpfmaps.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run count and run time of a real program, counted while the binder holds BPF_ENABLE_STATS. */
class BpfProgramMetersTest {
  /** The sample's XDP counter, from the checkout (this module comes before samples in the build). */
  private static final Path XDP_COUNTER = Path.of("..", "samples", "src", "main", "bpf", "xdp_counter.bpf.o");

  @Test
  void runsAndRunTimeAreCountersTaggedWithNameAndType() throws Exception {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    assumeTrue(Files.exists(XDP_COUNTER), "no " + XDP_COUNTER.toAbsolutePath());
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    try (BpfObject obj = BpfObject.load(XDP_COUNTER)) {
      BpfProgram p = obj.program("xdp_count");
      try (BpfProgramMeters m = BpfMetrics.bindPrograms(r, List.of(p))) {
        FunctionCounter runs = r.get("bpf.program.runs").tags("program", "xdp_count", "type", "xdp").functionCounter();
        double before = runs.count();
        p.testRun(new byte[64], 25); // the kernel runs the program 25 times
        Thread.sleep(1100); // the info is read at most once a second
        assertEquals(before + 25, runs.count());
        double seconds = r.get("bpf.program.run.time").tags("program", "xdp_count").functionCounter().count();
        assertTrue(seconds > 0 && seconds < 1, "run time " + seconds + " s for 25 runs");
      }
      assertNull(r.find("bpf.program.runs").functionCounter(), "close removes the meters");
    }
  }
}
