package io.github.bpfmaps.runtime;

import static io.github.bpfmaps.runtime.KernelTests.bpftool;
import static io.github.bpfmaps.runtime.KernelTests.bpftoolJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfAttachException;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.MapSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Programs attached to real hooks through links, checked with bpftool ({@code link show}, {@code
 * net show}, {@code perf show}) and by the runs they count: XDP and tcx on a veth pair the test
 * makes, a tracepoint, a raw tracepoint, a sampling perf event, a uprobe in libc, a cgroup; the
 * errors of bad input and of what this kernel lacks; and that nothing stays attached afterwards.
 */
class AttachTest {
  // slots of `counts` in attach_hooks.bpf.c
  static final int XDP_A = 0, XDP_B = 1, TCX = 2, TP = 3, RAW_TP = 4, PERF = 5, UPROBE = 6, CGROUP = 8;
  static final MapSpec COUNTS = MapSpec.of("counts", MapType.ARRAY, 4, 8, 16, 0);

  private BpfObject obj;
  private BpfArrayMap<Long> counts;
  private Path pins;

  static Path hooks() {
    return TestObjects.testObject("attach_hooks");
  }

  @BeforeEach
  void load() {
    KernelTests.needBpftool();
    obj = BpfObjectSpec.read(hooks()).setVariable("target_tgid", ProcessHandle.current().pid()).load();
    counts = new BpfArrayMap<>(obj.mapFd("counts"), COUNTS, Codecs.U64);
  }

  @AfterEach
  void close() {
    if (counts != null) {
      counts.close();
    }
    if (obj != null) {
      obj.close();
    }
    KernelTests.deleteTree(pins);
  }

  long count(int slot) {
    return counts.getLongAt(slot, 0);
  }

  /** Ids of the links bpftool lists for the program with id {@code progId}. */
  static Set<Integer> linksOf(int progId) {
    Set<Integer> ids = new TreeSet<>();
    for (Object o : (List<?>) bpftoolJson("link", "show")) {
      Map<?, ?> l = (Map<?, ?>) o;
      if (((Number) l.get("prog_id")).intValue() == progId) {
        ids.add(((Number) l.get("id")).intValue());
      }
    }
    return ids;
  }

  static Set<Integer> linksOfAny(BpfObject o) {
    Set<Integer> ids = new TreeSet<>();
    for (BpfProgram p : o.programs()) {
      if (p.isLoaded()) {
        ids.addAll(linksOf(p.id()));
      }
    }
    return ids;
  }

  static void openFiles(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      Files.readAllBytes(Path.of("/proc/self/stat"));
    }
  }

  @Test
  void xdpAttachesByNameInDriverModeCountsPingAndCloseDetaches() {
    try (VethPair v = VethPair.create()) {
      BpfProgram xdp = obj.program("xdp_a");
      int ifindex;
      try (BpfLink link = xdp.attachXdp(v.host)) {
        assertEquals(XdpMode.DRIVER, link.xdpMode(), "veth has native XDP: " + link);
        LinkInfo info = link.info();
        assertEquals(LinkType.XDP, info.type());
        assertEquals(xdp.id(), info.progId());
        ifindex = info.ifindex();
        assertEquals(Attach.ifname(ifindex), v.host);
        assertEquals(Set.of(info.id()), linksOf(xdp.id()));
        String net = bpftool("net", "show", "dev", v.host);
        assertTrue(net.contains("driver id " + xdp.id()), net);

        String ping = v.pingHostFromPeer(5, "0.05");
        assertEquals(5, VethPair.received(ping), ping);
        assertTrue(count(XDP_A) >= 5, "XDP saw " + count(XDP_A) + " packets of 5 pings");
      }
      assertEquals(Set.of(), linksOf(xdp.id()), "the link is gone once closed");
      assertFalse(bpftool("net", "show", "dev", v.host).contains("id " + xdp.id()));
      long before = count(XDP_A);
      v.pingHostFromPeer(2, "0.05");
      assertEquals(before, count(XDP_A), "no XDP program runs after close");
    }
  }

  @Test
  void eachXdpModeThatVethHasAttachesAndOffloadSaysWhatItNeeds() {
    try (VethPair v = VethPair.create()) {
      BpfProgram xdp = obj.program("xdp_a");
      try (BpfLink generic = xdp.attachXdp(v.host, XdpMode.GENERIC)) {
        assertEquals(XdpMode.GENERIC, generic.xdpMode());
        String net = bpftool("net", "show", "dev", v.host);
        assertTrue(net.contains("generic id " + xdp.id()), net);
        BpfSyscallException busy = assertThrows(BpfSyscallException.class,
            () -> obj.program("xdp_b").attachXdp(v.host, XdpMode.GENERIC));
        assertTrue(busy.getMessage().contains("already attached"), busy.getMessage());
      }
      BpfSyscallException offload = assertThrows(BpfSyscallException.class,
          () -> xdp.attachXdp(v.host, XdpMode.OFFLOAD));
      assertTrue(offload.getMessage().contains(v.host), offload.getMessage());
      assertEquals(Set.of(), linksOf(xdp.id()));
    }
  }

  @Test
  void updateSwapsTheProgramOfAnXdpLinkWithoutLosingAPacket() {
    try (VethPair v = VethPair.create()) {
      BpfProgram a = obj.program("xdp_a");
      BpfProgram b = obj.program("xdp_b");
      try (BpfLink link = a.attachXdp(v.host)) {
        int linkId = link.id();
        int n = 300;
        Thread pinger = new Thread(() -> v.pingHostFromPeer(n, "0.005"));
        String[] out = new String[1];
        pinger = new Thread(() -> out[0] = v.pingHostFromPeer(n, "0.005"));
        long start = count(XDP_A) + count(XDP_B);
        pinger.start();
        while (count(XDP_A) < start + n / 3 && pinger.isAlive()) {
          Thread.onSpinWait();
        }
        link.update(b);
        assertEquals(b.id(), link.info().progId());
        assertEquals(linkId, link.id(), "the same link, another program");
        try {
          pinger.join(30_000);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        int replies = VethPair.received(out[0]);
        assertEquals(n, replies, out[0]);
        long seen = count(XDP_A) + count(XDP_B) - start;
        // every echo request came in through the hook; ARP may add a few
        assertTrue(seen >= n, "the two programs together saw " + seen + " of " + n + " requests");
        assertTrue(count(XDP_B) > 0 && count(XDP_A) > start, "both programs ran: a " + count(XDP_A) + ", b " + count(XDP_B));

        BpfSyscallException wrong = assertThrows(BpfSyscallException.class, () -> link.update(obj.program("raw_sys_enter")));
        assertTrue(wrong.getMessage().contains("raw_sys_enter"), wrong.getMessage());
        assertEquals(b.id(), link.info().progId(), "a refused update leaves the link as it was");
      }
    }
  }

  @Test
  void aPinnedLinkOutlivesItsHandleAndUnpinDetaches() {
    pins = KernelTests.pinDir();
    BpfProgram raw = obj.program("raw_sys_enter");
    Path pin = pins.resolve("raw_link");
    int id;
    try (BpfLink link = raw.attachRawTracepoint("sys_enter")) {
      link.pin(pin);
      id = link.id();
      assertEquals(pin, link.pinnedAt());
    }
    assertEquals(Set.of(id), linksOf(raw.id()), "pinned: still attached after close");
    try (BpfLink again = BpfLink.openPinned(pin)) {
      LinkInfo info = again.info();
      assertEquals(id, info.id());
      assertEquals(LinkType.RAW_TRACEPOINT, info.type());
      assertEquals("sys_enter", info.tracepoint());
      again.unpin();
      assertFalse(Files.exists(pin));
    }
    assertEquals(Set.of(), linksOf(raw.id()), "unpinned and closed: detached");

    BpfNotFoundException none = assertThrows(BpfNotFoundException.class, () -> BpfLink.openPinned(pins.resolve("nope")));
    assertTrue(none.getMessage().contains(pins.resolve("nope").toString()), none.getMessage());
    try (MapFd m = obj.mapFd("counts")) {
      m.pin(pins.resolve("a_map"));
    }
    BpfException notLink = assertThrows(BpfException.class, () -> BpfLink.openPinned(pins.resolve("a_map")));
    assertTrue(notLink.getMessage().contains("not a BPF link") && notLink.getMessage().contains("a_map"),
        notLink.getMessage());
  }

  @Test
  void aTracepointFromItsSectionNameRunsOnEveryOpenAndBpftoolPerfShowsIt() throws IOException {
    BpfProgram tp = obj.program("tp_openat");
    try (BpfLink link = tp.attach()) {
      assertEquals("tracepoint syscalls/sys_enter_openat", link.hook());
      assertEquals(LinkType.PERF_EVENT, link.info().type());
      openFiles(20);
      assertTrue(count(TP) >= 20, "tracepoint saw " + count(TP) + " of 20 opens");
      String perf = bpftool("perf", "show");
      assertTrue(perf.contains("prog_id " + tp.id()) && perf.contains("sys_enter_openat"), perf);
    }
    assertFalse(bpftool("perf", "show").contains("prog_id " + tp.id()));
    long after = count(TP);
    openFiles(5);
    assertEquals(after, count(TP), "detached on close");
  }

  @Test
  void aRawTracepointAttachesByNameAndFromItsSection() throws IOException {
    BpfProgram raw = obj.program("raw_sys_enter");
    try (BpfLink link = raw.attachRawTracepoint("sys_enter")) {
      openFiles(5);
      assertTrue(count(RAW_TP) >= 5);
      assertEquals(LinkType.RAW_TRACEPOINT, link.info().type());
    }
    try (BpfLink link = raw.attach()) {
      assertEquals("sys_enter", link.info().tracepoint());
    }
    assertEquals(Set.of(), linksOf(raw.id()));
  }

  @Test
  void attachAllAttachesWhatTheSectionsNameAndClosesThemTogether() throws IOException {
    List<Integer> ids = new ArrayList<>();
    try (BpfLinks all = obj.attachAll()) {
      // tracepoint/syscalls/sys_enter_openat and raw_tp/sys_enter name their hook; xdp, tc,
      // perf_event, uprobe and kprobe without a target and cgroup_skb need one from the caller.
      assertEquals(List.of("tp_openat", "raw_sys_enter"), all.links().stream().map(BpfLink::program).toList());
      all.forEach(l -> ids.add(l.id()));
      openFiles(3);
      assertTrue(count(TP) >= 3 && count(RAW_TP) >= 3);
      assertEquals(new TreeSet<>(ids), linksOfAny(obj));
    }
    assertEquals(Set.of(), linksOfAny(obj));
  }

  @Test
  void aSamplingPerfEventRunsOnEveryCpu() {
    BpfProgram perf = obj.program("perf_tick");
    try (BpfLinks links = perf.attachPerfEvent(PerfEventType.CPU_CLOCK, 1000)) {
      assertEquals(Attach.onlineCpus().size(), links.size());
      long end = System.nanoTime() + 200_000_000L;
      long spin = 0;
      while (System.nanoTime() < end) {
        spin++;
      }
      assertTrue(spin > 0 && count(PERF) > 0, "no sample in 200 ms at 1000 Hz");
      // bpftool perf show lists tracepoint and probe events only; the links are perf_event links
      assertEquals(links.size(), linksOf(perf.id()).size());
    }
    assertEquals(Set.of(), linksOf(perf.id()));
  }

  @Test
  void aUprobeOnALibcFunctionCountsThisProcessesCalls() {
    BpfProgram up = obj.program("uprobe_hit");
    long pid = ProcessHandle.current().pid();
    try (BpfLink link = up.attachUprobe(Path.of("libc.so.6"), "sysconf", false, (int) pid)) {
      assertTrue(link.hook().contains("sysconf"), link.hook());
      for (int i = 0; i < 10; i++) {
        LibC.sysconf(LibC.SC_PAGESIZE);
      }
      assertTrue(count(UPROBE) >= 10, "uprobe saw " + count(UPROBE) + " of 10 calls");
    }
    BpfAttachException noSymbol = assertThrows(BpfAttachException.class,
        () -> up.attachUprobe(Path.of("libc.so.6"), "no_such_function_bpfmaps", false, -1));
    assertTrue(noSymbol.getMessage().contains("no_such_function_bpfmaps") && noSymbol.getMessage().contains("libc.so.6"),
        noSymbol.getMessage());
    BpfAttachException noBinary = assertThrows(BpfAttachException.class,
        () -> up.attachUprobe(Path.of("/nonexistent/bpfmaps-binary"), "main", false, -1));
    assertTrue(noBinary.getMessage().contains("/nonexistent/bpfmaps-binary"), noBinary.getMessage());
    assertEquals(Set.of(), linksOf(up.id()));
  }

  @Test
  void aTcxProgramCountsIngressOnTheVeth() {
    try (VethPair v = VethPair.create()) {
      BpfProgram tc = obj.program("tcx_count");
      try (BpfLink link = tc.attachTcx(v.host, TcxDirection.INGRESS)) {
        LinkInfo info = link.info();
        assertEquals(LinkType.TCX, info.type());
        assertEquals(AttachType.TCX_INGRESS, info.attachType());
        String ping = v.pingHostFromPeer(3, "0.05");
        assertEquals(3, VethPair.received(ping), ping);
        assertTrue(count(TCX) >= 3, "tcx saw " + count(TCX));
        // bpftool 7.1's `net show` predates tcx; `link show` lists the link
        assertEquals(Set.of(info.id()), linksOf(tc.id()));
      }
      assertEquals(Set.of(), linksOf(tc.id()));
    }
  }

  @Test
  void aCgroupProgramAttachesToACgroupV2Directory() throws Exception {
    Path root = cgroup2Root();
    assumeTrue(root != null, "no cgroup v2 mount");
    Path cg = root.resolve("bpfmaps-attach-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    Files.createDirectory(cg);
    try {
      BpfProgram p = obj.program("cgroup_egress");
      try (BpfLink link = p.attachCgroup(cg, AttachType.CGROUP_INET_EGRESS)) {
        LinkInfo info = link.info();
        assertEquals(LinkType.CGROUP, info.type());
        assertEquals(AttachType.CGROUP_INET_EGRESS, info.attachType());
        assertTrue(bpftool("cgroup", "show", cg.toString()).contains("cgroup_egress"));
      }
      assertEquals(Set.of(), linksOf(p.id()));
      BpfAttachException none = assertThrows(BpfAttachException.class,
          () -> p.attachCgroup(cg.resolve("nope"), AttachType.CGROUP_INET_EGRESS));
      assertTrue(none.getMessage().contains(cg.resolve("nope").toString()), none.getMessage());
      BpfAttachException notCgroup = assertThrows(BpfAttachException.class,
          () -> p.attachCgroup(Path.of("/tmp"), AttachType.CGROUP_INET_EGRESS));
      assertTrue(notCgroup.getMessage().contains("not a cgroup v2"), notCgroup.getMessage());
    } finally {
      Files.deleteIfExists(cg);
    }
  }

  static Path cgroup2Root() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 2 && f[2].equals("cgroup2")) {
        return Path.of(f[1]);
      }
    }
    return null;
  }

  @Test
  void badInputNamesWhatIsMissingAndLeavesNothingAttached() {
    BpfProgram xdp = obj.program("xdp_a");
    BpfProgram tp = obj.program("tp_openat");
    BpfProgram raw = obj.program("raw_sys_enter");

    BpfAttachException noIf = assertThrows(BpfAttachException.class, () -> xdp.attachXdp("attnope0"));
    assertTrue(noIf.getMessage().contains("no network interface 'attnope0'"), noIf.getMessage());
    BpfAttachException noIndex = assertThrows(BpfAttachException.class, () -> xdp.attachXdp(999_999, XdpMode.GENERIC));
    assertTrue(noIndex.getMessage().contains("999999"), noIndex.getMessage());

    BpfAttachException noTp = assertThrows(BpfAttachException.class,
        () -> tp.attachTracepoint("syscalls", "sys_enter_bpfmaps_nope"));
    assertTrue(noTp.getMessage().contains("no tracepoint syscalls/sys_enter_bpfmaps_nope"), noTp.getMessage());
    BpfAttachException noCat = assertThrows(BpfAttachException.class, () -> tp.attachTracepoint("bpfmaps_nope", "x"));
    assertTrue(noCat.getMessage().contains("no tracepoint category 'bpfmaps_nope'"), noCat.getMessage());

    BpfNotFoundException noRaw = assertThrows(BpfNotFoundException.class, () -> raw.attachRawTracepoint("bpfmaps_nope"));
    assertTrue(noRaw.getMessage().contains("bpfmaps_nope") && noRaw.getMessage().contains("raw_sys_enter"),
        noRaw.getMessage());

    BpfAttachException wrongType = assertThrows(BpfAttachException.class, () -> xdp.attachTracepoint("syscalls", "sys_enter_openat"));
    assertTrue(wrongType.getMessage().contains("'xdp_a'") && wrongType.getMessage().contains("XDP program")
        && wrongType.getMessage().contains("tracepoint syscalls/sys_enter_openat"), wrongType.getMessage());
    BpfAttachException wrongXdp = assertThrows(BpfAttachException.class, () -> tp.attachXdp("lo"));
    assertTrue(wrongXdp.getMessage().contains("TRACEPOINT program") && wrongXdp.getMessage().contains("xdp on lo"),
        wrongXdp.getMessage());

    BpfAttachException needsIf = assertThrows(BpfAttachException.class, xdp::attach);
    assertTrue(needsIf.getMessage().contains("attachXdp"), needsIf.getMessage());
    BpfAttachException needsTp = assertThrows(BpfAttachException.class, () -> obj.program("uprobe_hit").attach());
    assertTrue(needsTp.getMessage().contains("attachUprobe"), needsTp.getMessage());

    assertEquals(Set.of(), linksOfAny(obj));
    assertFalse(bpftool("perf", "show").contains("prog_id " + tp.id()));
  }

  /**
   * A program as the loader holds it before {@code BPF_PROG_LOAD} gave it an fd (users only see
   * loaded ones): attach() must find the reason from the section and the kernel's configuration
   * alone, which here is the only way to reach it, since this kernel cannot load the programs.
   */
  private static BpfProgram notLoaded(String object, String program) {
    return new BpfProgram(BpfObjectSpec.read(TestObjects.testObject(object)).program(program).spec());
  }

  @Test
  void kprobesSayThatThisKernelHasNone() {
    assumeTrue(!Files.isDirectory(Path.of("/sys/bus/event_source/devices/kprobe")), "this kernel has kprobes");
    BpfAttachException e = assertThrows(BpfAttachException.class,
        () -> obj.program("kprobe_hit").attachKprobe("do_sys_openat2", false));
    assertTrue(e.getMessage().contains("this kernel has no kprobes") && e.getMessage().contains("kprobe_hit")
        && e.getMessage().contains("do_sys_openat2"), e.getMessage());
    if ("n".equals(KernelSupport.config("CONFIG_KPROBES"))) {
      assertTrue(e.getMessage().contains("CONFIG_KPROBES is not set"), e.getMessage());
    }
    // from the section name too, before the kernel is asked
    try (BpfProgram kprobe = notLoaded("attach_fentry", "kprobe_openat")) {
      BpfAttachException fromSection = assertThrows(BpfAttachException.class, kprobe::attach);
      assertTrue(fromSection.getMessage().contains("CONFIG_KPROBES"), fromSection.getMessage());
    }
  }

  @Test
  void fentrySaysWhyTrampolinesCannotAttachHere() {
    String why = TracingLimits.ftraceState();
    assumeTrue(why != null && Files.isDirectory(Path.of("/sys/kernel/tracing")), "ftrace lists traceable functions here");
    try (BpfProgram fentry = notLoaded("attach_fentry", "fentry_openat")) {
      BpfAttachException e = assertThrows(BpfAttachException.class, fentry::attach);
      assertTrue(e.getMessage().contains("available_filter_functions") && e.getMessage().contains("fentry_openat")
          && e.getMessage().contains("fentry/do_sys_openat2"), e.getMessage());
    }
  }

  @Test
  void aTpBtfProgramAttachesFromItsSection() {
    try (BpfObject tracing = BpfObject.load(TestObjects.testObject("tracing"));
        BpfArrayMap<Long> switches = new BpfArrayMap<>(tracing.mapFd("switches"),
            MapSpec.of("switches", MapType.ARRAY, 4, 8, 1, 0), Codecs.U64)) {
      BpfProgram onSwitch = tracing.program("on_switch");
      try (BpfLink link = onSwitch.attach()) {
        LinkInfo info = link.info();
        // the kernel makes a raw tracepoint link for tp_btf (bpf_raw_tp_link), on the named tracepoint
        assertEquals(LinkType.RAW_TRACEPOINT, info.type());
        assertEquals("sched_switch", info.tracepoint());
        long end = System.nanoTime() + 2_000_000_000L;
        while (switches.getLongAt(0, 0) == 0 && System.nanoTime() < end) {
          Thread.yield();
        }
        assertTrue(switches.getLongAt(0, 0) > 0, "no sched_switch in 2 s");
      }
      assertEquals(Set.of(), linksOf(onSwitch.id()));
    }
  }

  @Test
  void tenThousandAttachDetachCyclesLeakNoFdAndNoLink() throws Exception {
    BpfProgram raw = obj.program("raw_sys_enter");
    Set<String> before = KernelTests.runtimeFds();
    long start = System.nanoTime();
    // Detaching a raw tracepoint waits for an RCU grace period (a few ms here), so four threads
    // overlap their waits; 10,000 cycles as the issue asks, or as many as fit in 15 s.
    java.util.concurrent.atomic.AtomicInteger cycles = new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        try {
          while (cycles.get() < 10_000 && System.nanoTime() - start < 15_000_000_000L) {
            try (BpfLink l = raw.attachRawTracepoint("sys_enter")) {
              cycles.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(List.of(), errors);
    System.out.printf("attach/detach: %d raw tracepoint cycles in %.1f s%n", cycles.get(),
        (System.nanoTime() - start) / 1e9);
    assertTrue(cycles.get() >= 2000, "only " + cycles + " cycles in 15 s");
    assertEquals(Set.of(), KernelTests.newFdsSince(before), "fds left after " + cycles + " cycles");
    assertEquals(Set.of(), linksOf(raw.id()));
    BpfLink closedLink = raw.attachRawTracepoint("sys_enter");
    closedLink.close();
    closedLink.close();
    assertTrue(closedLink.isClosed());
    assertThrows(BpfClosedException.class, closedLink::info);
  }
}
