package io.github.bpfmaps.runtime;

import io.github.bpfmaps.errors.BpfAttachException;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfKeyExistsException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.OwnedFd;
import io.github.bpfmaps.runtime.sys.RefCount;
import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.ProgramInfo;
import io.github.bpfmaps.spec.ProgramSpec;
import io.github.bpfmaps.spec.ProgramType;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A loaded program of a {@link BpfObject} ({@link BpfObject#program}): the kernel program ({@code
 * BPF_PROG_LOAD}'s fd) and the {@link ProgramSpec} it was loaded from. It can be test-run ({@link
 * #testRun}), attached, pinned and inspected ({@link #id()}, {@link #info()}).
 *
 * <p>The object owns the fd: {@link BpfObject#close()} closes it, as does {@link #close()} here (the
 * program then stays in the kernel only while something else holds it: a pin, an attachment, a
 * program array). A {@link Cleaner} closes the fd of an unreachable program.
 *
 * <p>Thread-safe.
 */
public final class BpfProgram implements AutoCloseable {
  private final ProgramSpec spec;
  private volatile @Nullable Loaded loaded;
  private volatile String verifierLog = "";

  private record Loaded(OwnedFd state, Cleaner.Cleanable cleanable) {}

  BpfProgram(ProgramSpec spec) {
    this.spec = Objects.requireNonNull(spec);
  }

  /** Takes ownership of the fd of the loaded program. */
  void loaded(int fd, String log) {
    OwnedFd state = new OwnedFd(fd);
    loaded = new Loaded(state, RefCount.CLEANER.register(this, state));
    verifierLog = log;
  }


  /**
   * The verifier's log of the successful load when {@link LoadOptions#logLevel(int)} asked for one
   * (its statistics, or every decision at level 2); empty otherwise. No system call.
   */
  public String verifierLog() {
    return verifierLog;
  }

  /** What the object's spec declared about the program when it was loaded. No system call. */
  public ProgramSpec spec() {
    return spec;
  }

  /** The program's function name (the kernel keeps the first 15 bytes). */
  public String name() {
    return spec.name();
  }

  /** The ELF section the program lives in, e.g. {@code xdp} or {@code socket}. */
  public String section() {
    return spec.section();
  }

  /** The program type the section implies. */
  public ProgramType type() {
    return spec.type();
  }

  /** The expected attach type the section implies, or null. */
  public @Nullable AttachType attachType() {
    return spec.attachType();
  }

  /** True until the program (or its object) is closed. */
  public boolean isLoaded() {
    Loaded l = loaded;
    return l != null && !l.state().closing();
  }

  /**
   * Marks the fd in use and returns its number, for a system call made elsewhere (attaching, adding
   * to a program array); pair it with {@link #release()} in a {@code finally}. No system call.
   *
   * @throws BpfException if the program was closed
   */
  public int acquire() {
    Loaded l = loaded;
    if (l == null) {
      // Only the loader sees a program before BPF_PROG_LOAD gave it an fd.
      throw new BpfException("use", spec.name(), 0, "program '" + spec.name() + "' (section "
          + spec.section() + ") is not loaded yet");
    }
    l.state().acquire("use", spec.name());
    return l.state().fd;
  }

  /** Ends a use begun by {@link #acquire()}. */
  public void release() {
    Loaded l = loaded;
    if (l != null) {
      l.state().release();
    }
  }

  /**
   * Runs the program once per {@code repeat} on {@code input} ({@code BPF_PROG_TEST_RUN}: one
   * system call, no attachment needed). XDP, socket filter, tc and other packet programs can be run
   * this way; the input then is a whole frame from the Ethernet header on. The output buffer is the
   * input's size plus 256 bytes, room for an XDP program that grows the packet.
   *
   * @param repeat how many times to run it (the kernel reports the average duration); at least 1
   * @throws BpfException if the program was closed
   * @throws BpfSyscallException EINVAL if the type cannot be test-run or the input is too short
   */
  public TestRunResult testRun(byte[] input, int repeat) {
    return testRun(input, repeat, input.length + 256);
  }

  /**
   * As {@link #testRun(byte[], int)} with the size of the output buffer given ({@code
   * data_size_out}); a packet the program leaves longer than that is cut.
   */
  public TestRunResult testRun(byte[] input, int repeat, int outputSize) {
    return run(input, null, repeat, outputSize);
  }

  /**
   * As {@link #testRun(byte[], int)} with the program's context as the kernel should see it
   * ({@code ctx_in}, host byte order): for XDP a {@code struct xdp_md} whose {@code data} is 0,
   * {@code data_end} the input's length and {@code ingress_ifindex} an existing interface (1 is
   * {@code lo}); for socket filters and tc a {@code struct __sk_buff}. One system call.
   *
   * @throws BpfSyscallException EINVAL if the kernel refuses a field of the context
   */
  public TestRunResult testRun(byte[] input, byte[] context, int repeat) {
    return run(input, context.clone(), repeat, input.length + 256);
  }

  private TestRunResult run(byte[] input, byte @Nullable [] context, int repeat, int outputSize) {
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
    }
    if (outputSize < 0) {
      throw new IllegalArgumentException("negative output size " + outputSize);
    }
    int fd = acquire();
    try {
      BpfSys.TestRun r = BpfSys.progTestRun(fd, input, outputSize, context, repeat);
      return new TestRunResult(r.retval(), r.dataOut(), r.durationNs());
    } catch (BpfSyscallException e) {
      throw BpfException.withCause(BpfSyscallException.of("BPF_PROG_TEST_RUN", spec.name(), e.errno(),
          "program type " + spec.type() + ", " + input.length + " bytes in"
              + (context == null ? "" : ", " + context.length + " bytes of context")), e);
    } finally {
      release();
    }
  }

  /** What the kernel says about the program ({@code BPF_OBJ_GET_INFO_BY_FD}: one system call). */
  public ProgramInfo info() {
    int fd = acquire();
    try {
      return BpfSys.progInfo(fd);
    } finally {
      release();
    }
  }

  /** The program's system-wide id, as {@code bpftool prog show} lists it (one system call). */
  public int id() {
    return info().id();
  }

  /**
   * Pins the program at {@code path} on bpffs ({@code BPF_OBJ_PIN}: one system call); the program
   * then outlives this process until the pin is removed.
   *
   * @throws BpfKeyExistsException if the path exists
   */
  public void pin(Path path) {
    int fd = acquire();
    try {
      BpfSys.objPin(fd, path.toString());
    } finally {
      release();
    }
  }

  // ---- attaching (see Attach for each hook's checks and errors) ----

  /**
   * Attaches the program where its section name says, as libbpf's auto-attach does: {@code
   * tracepoint/<category>/<name>} and {@code tp/...}, {@code raw_tp/<name>} and {@code
   * raw_tracepoint/...}, {@code tp_btf/...}, {@code fentry/...}, {@code fexit/...}, {@code
   * fmod_ret/...}, {@code lsm/...} (the target fixed at load), {@code kprobe/<function>}, {@code
   * kretprobe/...}, {@code uprobe/<binary>:<function>} and {@code uretprobe/...}. A few system calls
   * (and file reads of tracefs or the binary).
   *
   * @return the link; closing it detaches the program
   * @throws BpfAttachException if the section names no target or a hook that needs one (XDP, tcx,
   *     cgroup, perf event: the message says which method to call), or the target does not exist
   * @throws BpfSyscallException if the kernel refuses, with what that errno means for the hook
   */
  public BpfLink attach() {
    return Attach.auto(this);
  }

  /**
   * Attaches this XDP program to interface {@code ifindex} in {@code mode} through a BPF link
   * ({@code BPF_LINK_CREATE} with {@code BPF_XDP}: one system call, plus reading {@code
   * /sys/class/net} to name the interface).
   *
   * @throws BpfAttachException if there is no such interface or the program is not XDP
   * @throws BpfSyscallException EBUSY if another XDP program is attached there, EOPNOTSUPP if the
   *     driver lacks the mode
   */
  public BpfLink attachXdp(int ifindex, XdpMode mode) {
    return Attach.xdp(this, ifindex, Objects.requireNonNull(mode));
  }

  /** As {@link #attachXdp(int, XdpMode)} on the interface named {@code ifname} (such as {@code veth0}). */
  public BpfLink attachXdp(String ifname, XdpMode mode) {
    return Attach.xdp(this, Attach.ifindex(this, "xdp", ifname), Objects.requireNonNull(mode));
  }

  /**
   * As {@link #attachXdp(int, XdpMode)} in driver mode if the driver supports it, else generic mode;
   * {@link BpfLink#xdpMode()} says which it got (one or two system calls).
   */
  public BpfLink attachXdp(int ifindex) {
    return Attach.xdp(this, ifindex, null);
  }

  /** As {@link #attachXdp(int)} on the interface named {@code ifname}. */
  public BpfLink attachXdp(String ifname) {
    return Attach.xdp(this, Attach.ifindex(this, "xdp", ifname), null);
  }

  /**
   * Attaches this tc ({@code SCHED_CLS}) program to the tcx hook of interface {@code ifindex}
   * ({@code BPF_LINK_CREATE} with {@code BPF_TCX_INGRESS}/{@code EGRESS}, Linux 6.6: one system
   * call). It runs after the programs already attached there.
   *
   * @throws BpfAttachException if there is no such interface or the program is not SCHED_CLS
   * @throws BpfSyscallException EINVAL on kernels without tcx
   */
  public BpfLink attachTcx(int ifindex, TcxDirection direction) {
    return Attach.tcx(this, ifindex, Objects.requireNonNull(direction));
  }

  /** As {@link #attachTcx(int, TcxDirection)} on the interface named {@code ifname}. */
  public BpfLink attachTcx(String ifname, TcxDirection direction) {
    return Attach.tcx(this, Attach.ifindex(this, "tcx", ifname), Objects.requireNonNull(direction));
  }

  /**
   * Attaches this tracepoint program to {@code category/name} (such as {@code syscalls} and {@code
   * sys_enter_execve}): the id from tracefs, a {@code PERF_TYPE_TRACEPOINT} perf event, and a
   * {@code BPF_PERF_EVENT} link on it (three system calls).
   *
   * @throws BpfAttachException if tracefs is not mounted, there is no such tracepoint, or the
   *     program is not a TRACEPOINT program
   */
  public BpfLink attachTracepoint(String category, String name) {
    return Attach.tracepoint(this, category, name);
  }

  /**
   * Attaches this raw tracepoint program to tracepoint {@code name} (the event name without its
   * category, such as {@code sched_switch}; {@code BPF_RAW_TRACEPOINT_OPEN}: one system call).
   *
   * @throws BpfAttachException if the program is not a RAW_TRACEPOINT program
   * @throws BpfNotFoundException if the kernel has no such tracepoint
   */
  public BpfLink attachRawTracepoint(String name) {
    return Attach.rawTracepoint(this, name);
  }

  /**
   * Attaches this {@code perf_event} program to a sampling event on every online CPU, {@code
   * frequencyHz} samples a second each: one perf event and one link per CPU, returned together
   * (two system calls per CPU). All or nothing.
   *
   * @throws BpfAttachException if the program is not a PERF_EVENT program
   * @throws BpfSyscallException ENOENT if the machine has no such event (hardware events in a VM)
   */
  public BpfLinks attachPerfEvent(PerfEventType event, long frequencyHz) {
    return Attach.perfEvent(this, Objects.requireNonNull(event), frequencyHz, -1);
  }

  /** As {@link #attachPerfEvent(PerfEventType, long)} on CPU {@code cpu} only. */
  public BpfLinks attachPerfEvent(PerfEventType event, long frequencyHz, int cpu) {
    if (cpu < 0) {
      throw new IllegalArgumentException("cpu must be 0 or more, got " + cpu);
    }
    return Attach.perfEvent(this, Objects.requireNonNull(event), frequencyHz, cpu);
  }

  /**
   * Attaches this kprobe program to the entry ({@code ret} false) or return of the user-space
   * function {@code symbol} in {@code binary}: the symbol's file offset from the ELF's {@code
   * .symtab}/{@code .dynsym} (or, if the binary only imports it, from the shared libraries it
   * needs), then a perf event of the {@code uprobe} PMU and a link (two system calls plus reading
   * the ELF). {@code binary} may be a path or a library name such as {@code libc.so.6}.
   *
   * @param pid the process to probe, or -1 for every process that runs the code
   * @throws BpfAttachException if the binary or symbol does not exist, or the program is not KPROBE
   */
  public BpfLink attachUprobe(Path binary, String symbol, boolean ret, int pid) {
    return Attach.uprobe(this, binary, symbol, ret, pid);
  }

  /**
   * Attaches this kprobe program to the entry ({@code ret} false) or return of kernel function
   * {@code function} (a perf event of the {@code kprobe} PMU and a link: two system calls).
   *
   * @throws BpfAttachException if this kernel has no kprobes (the message says why, from the kernel
   *     config and {@code /sys/bus/event_source/devices}), or the program is not KPROBE
   * @throws BpfNotFoundException if there is no such traceable function
   */
  public BpfLink attachKprobe(String function, boolean ret) {
    return Attach.kprobe(this, function, ret);
  }

  /**
   * Attaches this cgroup program to the cgroup v2 directory {@code cgroup} as {@code type} (such as
   * {@link AttachType#CGROUP_INET_EGRESS}; {@code BPF_LINK_CREATE} on the directory's fd: three
   * system calls with its open and close). It then runs for every process in the cgroup and its
   * descendants.
   *
   * @throws BpfAttachException if the directory does not exist, is not cgroup v2, or the program is
   *     not a cgroup program
   * @throws BpfSyscallException EINVAL if {@code type} does not fit the program
   */
  public BpfLink attachCgroup(Path cgroup, AttachType type) {
    return Attach.cgroup(this, cgroup, Objects.requireNonNull(type));
  }

  /** Closes the program's fd (now, or when the last call in flight ends). Idempotent; never throws. */
  @Override
  public void close() {
    Loaded l = loaded;
    if (l != null) {
      l.cleanable().clean();
    }
  }

  @Override
  public String toString() {
    Loaded l = loaded;
    String state = l == null ? "not loaded" : l.state().closing() ? "closed" : "fd " + l.state().fd;
    return "BpfProgram[" + spec.name() + ", " + spec.section() + ", " + spec.type() + ", " + state + "]";
  }
}
