package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserCommandsDemoTest {
  @Test
  void theProgramDrainsWhatJavaOfferedAndAnswersThroughTheArray() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Ran ran = Ran.run((args, out, err) -> UserCommandsDemo.run(out, err));
    assertEquals(0, ran.status(), ran.toString());
    // 4096 bytes hold 256 records of 16 bytes (8 header + 8 command): 1 + ... + 256 = 32896.
    assertEquals(List.of(
        "offered 300 commands, the ring took 256 (0 bytes free)",
        "after one drain: 4096 bytes free",
        "two more accepted: true",
        "sum 32896, max 77, commands 258, drains 2"), ran.lines(), ran.toString());
  }
}
