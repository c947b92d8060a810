package io.github.bpfmaps.runtime.reliability;

import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.runtime.BpfLink;
import io.github.bpfmaps.runtime.BpfObject;
import java.nio.file.Path;

/**
 * The child JVM of {@link AttachKillTest}: attaches {@code attach_hooks.bpf.o}'s programs to XDP on
 * the interface {@code args[0]}, a raw tracepoint and a tracepoint, pins the XDP link at {@code
 * args[1]} unless it is "-", prints the link ids, and waits to be killed.
 */
public final class AttachChild {
  private AttachChild() {}

  public static void main(String[] args) throws Exception {
    BpfObject obj = BpfObject.load(TestObjects.testObject("attach_hooks"));
    BpfLink xdp = obj.program("xdp_a").attachXdp(args[0]);
    BpfLink raw = obj.program("raw_sys_enter").attach();
    BpfLink tp = obj.program("tp_openat").attach();
    if (!args[1].equals("-")) {
      xdp.pin(Path.of(args[1]));
    }
    System.out.println("links " + xdp.id() + " " + raw.id() + " " + tp.id() + " prog " + obj.program("xdp_a").id());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
