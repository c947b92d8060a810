package io.github.bpfmaps.samples;

import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.MapFd;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A map that outlives the process that made it. {@code flows} in {@code flows.bpf.o} is pinned by
 * name ({@code LIBBPF_PIN_BY_NAME}): loaded with a pin root, the map is pinned in bpffs as {@code
 * <pinRoot>/flows}, and a later process finds it there.
 *
 * <pre>
 * java -cp ... io.github.bpfmaps.samples.PinnedReuseDemo write /sys/fs/bpf/demo   # load, count, exit
 * java -cp ... io.github.bpfmaps.samples.PinnedReuseDemo read  /sys/fs/bpf/demo   # another process reads it
 * java -cp ... io.github.bpfmaps.samples.PinnedReuseDemo clean /sys/fs/bpf/demo   # unpin
 * </pre>
 *
 * <p>{@code write} loads the object with the pin root (creating the directory if needed), sends the
 * traffic of {@link FlowTableDemo} through {@code xdp_flows} and exits; the program is unloaded but
 * the pinned map stays. Run it twice and the second load reuses the pin, so the counts double.
 * {@code read} opens the pin with {@code FlowsMap.openPinned}, which checks it is the map the
 * {@link Flows} record describes, and prints the table. {@code clean} removes the pin (the kernel
 * frees the map with its last reference) and the pin root if that leaves it empty.
 */
public final class PinnedReuseDemo {
  /** The pin root when none is given. */
  static final Path DEFAULT_PIN_ROOT = Path.of("/sys/fs/bpf/bpfmaps-pinned-demo");

  private PinnedReuseDemo() {}

  /** {@code write|read|clean [pinRoot]}; exits 0 on success, 1 on failure, 2 on a usage error. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The demo, printing to {@code out} (and problems to {@code err}); returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1 || args.length > 2) {
      err.println("usage: PinnedReuseDemo write|read|clean [pinRoot, default " + DEFAULT_PIN_ROOT + "]");
      return 2;
    }
    Path pinRoot = args.length == 2 ? Path.of(args[1]) : DEFAULT_PIN_ROOT;
    Path pin = pinRoot.resolve(FlowsMap.SPEC.name());
    return switch (args[0]) {
      case "write" -> SampleRun.guarded("pinned write", err, () -> write(pinRoot, pin, out));
      case "read" -> SampleRun.guarded("pinned read", err, () -> read(pin, out, err));
      case "clean" -> clean(pinRoot, pin, out);
      default -> {
        err.println("unknown command '" + args[0] + "': write, read or clean");
        yield 2;
      }
    };
  }

  private static int write(Path pinRoot, Path pin, PrintStream out) {
    try (BpfObject obj = SampleObjects.open("flows").load(o -> o.pinRoot(pinRoot));
        FlowsMap flows = FlowsMap.bind(obj)) {
      FlowTableDemo.sendTraffic(obj.program("xdp_flows"));
      out.printf("map 'flows' (id %d) pinned at %s holds %d flows; exiting%n", flows.id(), pin, flows.keys().size());
      return 0;
    }
  }

  private static int read(Path pin, PrintStream out, PrintStream err) {
    try (FlowsMap flows = FlowsMap.openPinned(pin)) {
      out.printf("map 'flows' (id %d) opened from %s%n", flows.id(), pin);
      FlowTableDemo.printTable(flows, out);
      return 0;
    } catch (BpfNotFoundException e) {
      err.println("nothing is pinned at " + pin + "; run 'PinnedReuseDemo write' first");
      return 1;
    }
  }

  private static int clean(Path pinRoot, Path pin, PrintStream out) {
    out.println(MapFd.unpin(pin) ? "unpinned " + pin : "nothing was pinned at " + pin);
    try {
      Files.deleteIfExists(pinRoot);
    } catch (DirectoryNotEmptyException e) {
      out.println(pinRoot + " holds other pins; left in place");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 0;
  }
}
