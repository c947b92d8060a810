package io.github.bpfmaps.samples;

import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Packets;
import java.io.PrintStream;

/**
 * Loads {@code user_commands.bpf.o}, offers commands to its {@code commands} user ring buffer from
 * Java until the ring is full, runs the XDP program {@code drain_commands} once (it drains the ring
 * with {@code bpf_user_ringbuf_drain}), and prints the answer the program left in {@code results}.
 *
 * <pre>
 * java -cp ... io.github.bpfmaps.samples.UserCommandsDemo
 * </pre>
 */
public final class UserCommandsDemo {
  /** Commands offered before the first drain: more than the 4 KiB ring holds (16 bytes each). */
  static final int OFFERED = 300;

  private UserCommandsDemo() {}

  /** Runs the demo; exits 0 on success, 1 when bpf(2) is not permitted or the load fails. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  /** The demo, printing to {@code out} (and problems to {@code err}); returns the exit status. */
  static int run(PrintStream out, PrintStream err) {
    return SampleRun.guarded("user_commands", err, () -> {
      try (BpfObject obj = SampleObjects.open("user_commands").load();
          CommandsMap commands = CommandsMap.bind(obj);
          ResultsMap results = ResultsMap.bind(obj)) {
        BpfProgram drain = obj.program("drain_commands");
        int accepted = 0;
        for (int i = 1; i <= OFFERED; i++) {
          // offer never blocks: false means the ring is full until the program drains it
          if (!commands.offer(new Commands.Command(Commands.OP_ADD, i))) {
            break;
          }
          accepted++;
        }
        out.println("offered " + OFFERED + " commands, the ring took " + accepted + " (" + commands.free()
            + " bytes free)");
        drain.testRun(Packets.udp(Packets.ipv4(192, 0, 2, 1), Packets.ipv4(198, 51, 100, 7), 1, 2, 64), 1);
        out.println("after one drain: " + commands.free() + " bytes free");
        boolean more = commands.offer(new Commands.Command(Commands.OP_MAX, 77))
            && commands.offer(new Commands.Command(Commands.OP_MAX, 5));
        drain.testRun(Packets.udp(Packets.ipv4(192, 0, 2, 1), Packets.ipv4(198, 51, 100, 7), 1, 2, 64), 1);
        Results.Result r = results.getAt(0);
        out.println("two more accepted: " + more);
        out.println("sum " + r.sum() + ", max " + r.max() + ", commands " + r.commands() + ", drains " + r.drains());
        return 0;
      }
    });
  }
}
