package io.github.bpfmaps.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.runtime.KernelTests;
import org.junit.jupiter.api.Test;

/** The one {@code perf_event_open(2)} binding, on the running kernel. */
class PerfEventTest {
  @Test
  void opensEnablesAndDisablesASoftwareEvent() {
    KernelTests.needBpf();
    PerfEvent.Attr a = new PerfEvent.Attr();
    a.type = PerfEvent.TYPE_SOFTWARE;
    a.config = PerfEvent.COUNT_SW_TASK_CLOCK;
    a.disabled = true;
    int fd = PerfEvent.open(a, 0, -1, -1, 0, "task clock");
    try {
      assertTrue(fd > 2, "a new fd: " + fd);
      PerfEvent.ioctl(fd, PerfEvent.IOC_ENABLE, 0, "task clock");
      PerfEvent.ioctl(fd, PerfEvent.IOC_DISABLE, 0, "task clock");
    } finally {
      BpfSys.close(fd);
    }
  }

  @Test
  void aRefusedEventNamesTheCallTheTargetAndTheErrno() {
    KernelTests.needBpf();
    PerfEvent.Attr a = new PerfEvent.Attr();
    a.type = PerfEvent.TYPE_TRACEPOINT;
    a.config = Long.MAX_VALUE; // no tracepoint has this id
    BpfSyscallException e =
        assertThrows(BpfSyscallException.class, () -> PerfEvent.open(a, -1, 0, -1, 0, "tracepoint x/y"));
    assertTrue(e.getMessage().contains("perf_event_open"), e.getMessage());
    assertTrue(e.getMessage().contains("tracepoint x/y"), e.getMessage());
  }

  @Test
  void theSystemCallNumberIsTheArchitecturesOwn() {
    assertEquals(298, PerfEvent.nrPerfEventOpen("amd64"));
    assertEquals(241, PerfEvent.nrPerfEventOpen("aarch64"));
  }
}
