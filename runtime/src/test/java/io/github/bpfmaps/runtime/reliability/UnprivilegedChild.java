package io.github.bpfmaps.runtime.reliability;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.file.Path;

/**
 * The child of {@link UnprivilegedTest}, run as nobody without capabilities: tries each operation
 * and prints one line per operation, {@code name|exception class|operation|target|errno|message},
 * or {@code name|OK} if the kernel let it through.
 *
 * <p>Arguments: a pinned map's path, that map's id, a BPF object file.
 */
public final class UnprivilegedChild {
  private UnprivilegedChild() {}

  public static void main(String[] args) {
    Path pin = Path.of(args[0]);
    int id = Integer.parseInt(args[1]);
    Path object = Path.of(args[2]);
    MapSpec spec = MapSpec.of("rel_unpriv", MapType.HASH, 4, 8, 16, 0);
    System.out.println("available|" + Bpf.available() + "|" + Bpf.unavailableReason());
    attempt("create", () -> MapFd.create(spec).close());
    attempt("openPinned", () -> MapFd.openPinned(pin, spec).close());
    attempt("fromId", () -> MapFd.fromId(id, spec).close());
    attempt("load", () -> BpfObject.load(object).close());
    System.out.flush();
  }

  private static void attempt(String name, Runnable op) {
    try {
      op.run();
      System.out.println(name + "|OK");
    } catch (BpfException e) {
      System.out.println(name + "|" + e.getClass().getSimpleName() + "|" + e.operation() + "|" + e.target()
          + "|" + e.errno() + "|" + e.getMessage().replace('\n', ' '));
    }
  }
}
