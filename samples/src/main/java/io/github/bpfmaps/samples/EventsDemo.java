package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Packets;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Loads {@code events.bpf.o}, sends frames of a few sizes through its XDP program {@code
 * xdp_events}, then reads what the program reported two ways: the {@code events} ring buffer,
 * whose records arrive as typed {@link Events.Event} values, and the {@code lengths} queue, popped
 * one {@code int} at a time.
 *
 * <pre>
 * java -cp ... io.github.bpfmaps.samples.EventsDemo
 * </pre>
 */
public final class EventsDemo {
  /** The frame sizes sent, in order. */
  static final int[] SIZES = {64, 128, 256, 512, 1514};

  private EventsDemo() {}

  /** Runs the demo; exits 0 on success, 1 when bpf(2) is not permitted or the load fails. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  /** The demo, printing to {@code out} (and problems to {@code err}); returns the exit status. */
  static int run(PrintStream out, PrintStream err) {
    return SampleRun.guarded("events", err, () -> {
      try (BpfObject obj = SampleObjects.open("events").load();
          EventsMap events = EventsMap.bind(obj);
          LengthsMap lengths = LengthsMap.bind(obj)) {
        BpfProgram prog = obj.program("xdp_events");
        int src = Packets.ipv4(192, 0, 2, 1);
        int dst = Packets.ipv4(198, 51, 100, 7);
        for (int size : SIZES) {
          prog.testRun(Packets.udp(src, dst, 40000, 9000, size), 1);
        }

        out.println("ring buffer 'events' (struct event):");
        out.printf("%5s %6s %8s%n", "seq", "len", "ifindex");
        // Waits up to a second if the ring is empty, then hands over every record already there.
        int received = events.poll(Duration.ofSeconds(1),
            e -> out.printf("%5d %6d %8d%n", e.seq(), e.len(), e.ifindex()));
        out.println(received + " events (a test run arrives on the loopback device, hence its ifindex)");

        out.println();
        out.println("queue 'lengths' (__u32), popped first in, first out:");
        Integer len;
        while ((len = lengths.pop()) != null) {
          out.printf("%6d%n", len);
        }
        return 0;
      }
    });
  }
}
