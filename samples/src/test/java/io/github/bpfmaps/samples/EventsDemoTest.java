package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsDemoTest {
  @Test
  void theDemoPrintsEachRingBufferEventInOrderThenTheQueuedLengths() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Ran ran = Ran.run((args, out, err) -> EventsDemo.run(out, err));
    assertEquals(0, ran.status(), ran.toString());

    List<String> expected = new ArrayList<>();
    expected.add("ring buffer 'events' (struct event):");
    expected.add("seq len ifindex");
    for (int i = 0; i < EventsDemo.SIZES.length; i++) {
      expected.add(i + " " + EventsDemo.SIZES[i] + " 1"); // test runs arrive on lo, ifindex 1
    }
    expected.add(EventsDemo.SIZES.length + " events (a test run arrives on the loopback device, hence its ifindex)");
    expected.add("");
    expected.add("queue 'lengths' (__u32), popped first in, first out:");
    for (int size : EventsDemo.SIZES) {
      expected.add(String.valueOf(size));
    }
    assertEquals(expected, ran.lines().stream().map(l -> l.trim().replaceAll("\\s+", " ")).toList(), ran.toString());
  }
}
