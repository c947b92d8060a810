package io.github.bpfmaps.runtime;

import io.github.bpfmaps.elf.NativeSymbols;
import io.github.bpfmaps.errors.BpfAttachException;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.LinkSys;
import io.github.bpfmaps.runtime.sys.PerfEvent;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.ProgramType;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How each hook is attached: the checks that name what is wrong before any system call (the
 * interface, tracepoint, binary, cgroup; the program's type), the system calls, and what an errno
 * means for that hook. {@link BpfProgram}'s {@code attach*} methods delegate here. Every path
 * closes what it opened when it fails, so a failed attach leaves nothing attached.
 */
final class Attach {
  private Attach() {}

  // ---- auto-attach from the section name (libbpf's SEC() conventions) ----

  private static final Set<String> TRACEPOINT = Set.of("tracepoint", "tp");
  private static final Set<String> RAW_TP = Set.of("raw_tracepoint", "raw_tp", "raw_tracepoint.w", "raw_tp.w");
  private static final Set<String> TRACING = Set.of("tp_btf", "fentry", "fentry.s", "fexit", "fexit.s",
      "fmod_ret", "fmod_ret.s", "lsm", "lsm.s");
  private static final Set<String> KPROBE = Set.of("kprobe", "kretprobe");
  private static final Set<String> UPROBE = Set.of("uprobe", "uretprobe", "uprobe.s", "uretprobe.s");

  private static String kind(String section) {
    int slash = section.indexOf('/');
    return slash < 0 ? section : section.substring(0, slash);
  }

  private static String target(String section) {
    int slash = section.indexOf('/');
    return slash < 0 ? "" : section.substring(slash + 1);
  }

  /** True if the section names both the hook and its target, so {@link #auto} can attach it. */
  static boolean autoAttachable(String section) {
    String kind = kind(section);
    String target = target(section);
    if (target.isEmpty()) {
      return false;
    }
    if (TRACEPOINT.contains(kind)) {
      return target.indexOf('/') > 0;
    }
    if (UPROBE.contains(kind)) {
      return target.indexOf(':') > 0;
    }
    return RAW_TP.contains(kind) || TRACING.contains(kind) || KPROBE.contains(kind);
  }

  /** {@link BpfProgram#attach()}. */
  static BpfLink auto(BpfProgram p) {
    String section = p.section();
    String kind = kind(section);
    String target = target(section);
    if (TRACEPOINT.contains(kind)) {
      int slash = target.indexOf('/');
      if (slash <= 0) {
        throw needsTarget(p, "tracepoint", "attachTracepoint(category, name)",
            "SEC(\"tracepoint/<category>/<name>\")");
      }
      return tracepoint(p, target.substring(0, slash), target.substring(slash + 1));
    }
    if (RAW_TP.contains(kind)) {
      if (target.isEmpty()) {
        throw needsTarget(p, "raw tracepoint", "attachRawTracepoint(name)", "SEC(\"raw_tp/<name>\")");
      }
      return rawTracepoint(p, target);
    }
    if (TRACING.contains(kind)) {
      return tracing(p, kind.replace(".s", "") + "/" + target);
    }
    if (KPROBE.contains(kind)) {
      if (target.isEmpty()) {
        throw needsTarget(p, kind, "attachKprobe(function, " + kind.equals("kretprobe") + ")", "SEC(\"" + kind + "/<function>\")");
      }
      int plus = target.indexOf('+');
      return kprobe(p, plus > 0 ? target.substring(0, plus) : target, kind.equals("kretprobe"));
    }
    if (UPROBE.contains(kind)) {
      int colon = target.lastIndexOf(':');
      boolean ret = kind.startsWith("uretprobe");
      if (colon <= 0) {
        throw needsTarget(p, kind, "attachUprobe(binary, symbol, " + ret + ", pid)", "SEC(\"" + kind + "/<binary>:<function>\")");
      }
      return uprobe(p, Path.of(target.substring(0, colon)), target.substring(colon + 1), ret, -1);
    }
    String how;
    switch (p.type()) {
      case XDP:
        how = "it needs an interface: call attachXdp(interfaceName) or attachXdp(ifindex, mode)";
        break;
      case SCHED_CLS:
        how = "it needs an interface: call attachTcx(interfaceName, TcxDirection.INGRESS or EGRESS)";
        break;
      case PERF_EVENT:
        how = "it needs an event: call attachPerfEvent(PerfEventType.CPU_CLOCK, frequencyHz)";
        break;
      case CGROUP_SKB: case CGROUP_SOCK: case CGROUP_SOCK_ADDR: case SOCK_OPS: case CGROUP_DEVICE:
      case CGROUP_SYSCTL: case CGROUP_SOCKOPT:
        how = "it needs a cgroup: call attachCgroup(cgroupDirectory, AttachType."
            + (p.attachType() != null ? p.attachType() : "...") + ")";
        break;
      default:
        how = "bpfmaps cannot attach a " + p.type() + " program from its section name alone";
    }
    throw new BpfAttachException(p.name(), section, "cannot attach '" + p.name() + "' (section " + section
        + ") from its section name: " + how);
  }

  private static BpfAttachException needsTarget(BpfProgram p, String hook, String method, String section) {
    return new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' (section " + p.section()
        + ") from its section name: it does not say which " + hook + "; call " + method + ", or name it in "
        + section);
  }

  /** Throws unless the program's type is one of {@code types}. */
  private static void checkType(BpfProgram p, String hook, Set<ProgramType> types, String example) {
    if (!types.contains(p.type())) {
      throw new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' to " + hook + ": it is a "
          + p.type() + " program (section " + p.section() + "), and " + hook + " runs " + types
          + " programs only (" + example + ")");
    }
  }

  private static BpfSyscallException failed(BpfSyscallException e, BpfProgram p, String hook, String why) {
    return BpfSyscallException.of(e.operation(), hook, e.errno(), "attaching '" + p.name() + "'"
        + (why.isEmpty() ? "" : ": " + why));
  }

  // ---- interfaces ----

  private static final Path NET = Path.of("/sys/class/net");

  /** The index of interface {@code name}, from {@code /sys/class/net/<name>/ifindex}. */
  static int ifindex(BpfProgram p, String hookKind, String name) {
    Path f = NET.resolve(name).resolve("ifindex");
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || !Files.isRegularFile(f)) {
      throw new BpfAttachException(p.name(), hookKind + " on " + name, "cannot attach '" + p.name() + "' to "
          + hookKind + " on '" + name + "': no network interface '" + name + "' in this network namespace ("
          + NET.resolve(name) + " does not exist; `ip link` lists the interfaces)");
    }
    try {
      return Integer.parseInt(Files.readString(f).trim());
    } catch (IOException | NumberFormatException e) {
      throw new BpfAttachException(p.name(), hookKind + " on " + name, "cannot read " + f + ": " + e);
    }
  }

  /** The name of interface {@code ifindex}, or null if there is none. */
  static @Nullable String ifname(int ifindex) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(NET)) {
      for (Path dev : ds) {
        try {
          if (Integer.parseInt(Files.readString(dev.resolve("ifindex")).trim()) == ifindex) {
            return dev.getFileName().toString();
          }
        } catch (IOException | NumberFormatException e) {
          // a device that went away while listing: not the one
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static String netHook(BpfProgram p, String kind, int ifindex) {
    String name = ifname(ifindex);
    if (name == null) {
      throw new BpfAttachException(p.name(), kind + " on ifindex " + ifindex, "cannot attach '" + p.name() + "' to "
          + kind + ": no network interface with index " + ifindex + " in this network namespace (`ip link` lists them)");
    }
    return kind + " on " + name + " (ifindex " + ifindex + ")";
  }

  // ---- XDP and tcx ----

  static BpfLink xdp(BpfProgram p, int ifindex, @Nullable XdpMode mode) {
    String hook = netHook(p, "xdp", ifindex);
    checkType(p, hook, EnumSet.of(ProgramType.XDP), "SEC(\"xdp\")");
    if (mode != null) {
      return xdpOnce(p, ifindex, mode, hook);
    }
    try {
      return xdpOnce(p, ifindex, XdpMode.DRIVER, hook);
    } catch (BpfSyscallException e) {
      if (e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.ENOTSUPP) {
        throw e;
      }
      return xdpOnce(p, ifindex, XdpMode.GENERIC, hook); // the driver has no native XDP
    }
  }

  private static BpfLink xdpOnce(BpfProgram p, int ifindex, XdpMode mode, String hook) {
    int flags = mode == XdpMode.GENERIC ? LinkSys.XDP_FLAGS_SKB_MODE
        : mode == XdpMode.DRIVER ? LinkSys.XDP_FLAGS_DRV_MODE : LinkSys.XDP_FLAGS_HW_MODE;
    int prog = p.acquire();
    try {
      int fd = LinkSys.linkCreate(prog, ifindex, AttachType.XDP.id(), flags, 0, hook);
      return new BpfLink(fd, -1, p.name(), hook + ", " + mode.name().toLowerCase(java.util.Locale.ROOT) + " mode",
          mode, null);
    } catch (BpfSyscallException e) {
      String why;
      switch (e.errno()) {
        case Errno.EBUSY:
        case Errno.EEXIST:
          why = "another XDP program is already attached there (`bpftool net show` lists it); close its"
              + " link, or replace its program with BpfLink.update";
          break;
        case Errno.EOPNOTSUPP:
        case Errno.ENOTSUPP:
          why = "the device's driver does not support XDP in " + mode + " mode"
              + (mode == XdpMode.GENERIC ? "" : "; XdpMode.GENERIC works on any device");
          break;
        case Errno.EINVAL:
          why = mode == XdpMode.OFFLOAD ? "offload needs a NIC that supports it and a program loaded for that device"
              : "the kernel refused the program for this device in " + mode + " mode (an XDP program in another"
                  + " mode, or a program loaded for devmap/cpumap)";
          break;
        default:
          why = "";
      }
      throw failed(e, p, hook, why);
    } finally {
      p.release();
    }
  }

  static BpfLink tcx(BpfProgram p, int ifindex, TcxDirection direction) {
    String hook = netHook(p, "tcx " + direction.name().toLowerCase(java.util.Locale.ROOT), ifindex);
    checkType(p, hook, EnumSet.of(ProgramType.SCHED_CLS), "SEC(\"tc\") or SEC(\"tcx/ingress\")");
    AttachType type = direction == TcxDirection.INGRESS ? AttachType.TCX_INGRESS : AttachType.TCX_EGRESS;
    int prog = p.acquire();
    try {
      int fd = LinkSys.linkCreate(prog, ifindex, type.id(), 0, 0, hook);
      return new BpfLink(fd, -1, p.name(), hook, null, null);
    } catch (BpfSyscallException e) {
      throw failed(e, p, hook, e.errno() == Errno.EINVAL
          ? "tcx links need Linux 6.6 or later (CONFIG_NET_XGRESS); older kernels attach tc programs through netlink"
          : "");
    } finally {
      p.release();
    }
  }

  // ---- tracepoints and tracing ----

  static BpfLink tracepoint(BpfProgram p, String category, String name) {
    String hook = "tracepoint " + category + "/" + name;
    checkType(p, hook, EnumSet.of(ProgramType.TRACEPOINT), "SEC(\"tracepoint/" + category + "/" + name + "\")");
    int id = Tracefs.tracepointId(p.name(), hook, category, name);
    PerfEvent.Attr a = new PerfEvent.Attr();
    a.type = PerfEvent.TYPE_TRACEPOINT;
    a.config = id;
    a.samplePeriod = 1;
    a.wakeup = 1;
    // A tracepoint's programs run on every CPU whatever the event's CPU; libbpf opens it on CPU 0 too.
    int pfd = PerfEvent.open(a, -1, 0, -1, 0, hook);
    return perfLink(p, pfd, hook);
  }

  /** {@code BPF_LINK_CREATE} with {@code BPF_PERF_EVENT} on an open perf event; owns {@code pfd} from here. */
  private static BpfLink perfLink(BpfProgram p, int pfd, String hook) {
    int fd;
    try {
      int prog = p.acquire();
      try {
        fd = LinkSys.linkCreate(prog, pfd, AttachType.PERF_EVENT.id(), 0, 0, hook);
      } catch (BpfSyscallException e) {
        throw failed(e, p, hook, e.errno() == Errno.EINVAL
            ? "the program's type does not fit this perf event, or the kernel predates perf links (5.15)" : "");
      } finally {
        p.release();
      }
    } catch (RuntimeException e) {
      BpfLink.closeQuietly(pfd);
      throw e;
    }
    BpfLink link = new BpfLink(fd, pfd, p.name(), hook, null, null); // owns both fds from here
    try {
      PerfEvent.ioctl(pfd, PerfEvent.IOC_ENABLE, 0, hook);
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
    return link;
  }

  static BpfLink rawTracepoint(BpfProgram p, String name) {
    String hook = "raw tracepoint " + name;
    checkType(p, hook, EnumSet.of(ProgramType.RAW_TRACEPOINT, ProgramType.RAW_TRACEPOINT_WRITABLE),
        "SEC(\"raw_tp/" + name + "\")");
    int prog = p.acquire();
    try {
      int fd = LinkSys.rawTracepointOpen(name, prog, hook);
      return new BpfLink(fd, -1, p.name(), hook, null, null);
    } catch (BpfSyscallException e) {
      throw failed(e, p, hook, e.errno() == Errno.ENOENT
          ? "no raw tracepoint '" + name + "' in this kernel (raw tracepoints take the event's name without"
              + " its category, such as sched_switch or sys_enter)" : "");
    } finally {
      p.release();
    }
  }

  /** tp_btf, fentry, fexit, fmod_ret, lsm: the target was fixed at load ({@code attach_btf_id}). */
  static BpfLink tracing(BpfProgram p, String hook) {
    checkType(p, hook, EnumSet.of(ProgramType.TRACING, ProgramType.LSM, ProgramType.EXT),
        "SEC(\"tp_btf/...\"), SEC(\"fentry/...\"), SEC(\"lsm/...\")");
    boolean trampoline = TracingLimits.usesTrampoline(p.spec());
    String ftrace = trampoline ? TracingLimits.ftraceState() : null;
    // A program that is not loaded, or a kernel whose tracefs shows the state, gets the reason now;
    // otherwise the kernel answers and the reason is added to its errno.
    if (ftrace != null && (!p.isLoaded() || Files.isDirectory(TracingLimits.FILTER_FUNCTIONS.getParent()))) {
      throw new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' to " + hook + ": "
          + trampolineReason(ftrace));
    }
    int prog = p.acquire();
    try {
      int fd = LinkSys.rawTracepointOpen(null, prog, hook);
      return new BpfLink(fd, -1, p.name(), hook, null, null);
    } catch (BpfSyscallException e) {
      throw failed(e, p, hook, ftrace != null ? trampolineReason(ftrace) : "");
    } finally {
      p.release();
    }
  }

  private static String trampolineReason(String ftrace) {
    return "fentry, fexit, fmod_ret and LSM programs run from a BPF trampoline on the function's ftrace entry, and "
        + ftrace + ", so none can attach on this kernel; a tracepoint, raw tracepoint or tp_btf program can";
  }

  // ---- kprobes and uprobes: perf events of a dynamic PMU ----

  private static final Path PMUS = KernelSupport.PMUS;

  private static int pmuType(BpfProgram p, String hook, String pmu) {
    Path f = PMUS.resolve(pmu).resolve("type");
    try {
      return Integer.parseInt(Files.readString(f).trim());
    } catch (IOException | NumberFormatException e) {
      throw new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' to " + hook + ": this kernel has"
          + " no " + pmu + " perf PMU (" + f + " is missing)");
    }
  }

  /** The bit of {@code config} that makes a return probe: {@code format/retprobe} reads {@code config:0}. */
  private static long retprobeBit(BpfProgram p, String hook, String pmu) {
    Path f = PMUS.resolve(pmu).resolve("format").resolve("retprobe");
    try {
      String s = Files.readString(f).trim();
      return 1L << Integer.parseInt(s.substring(s.indexOf(':') + 1));
    } catch (IOException | RuntimeException e) {
      throw new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' to " + hook + ": cannot read"
          + " the return-probe bit of the " + pmu + " PMU from " + f + ": " + e);
    }
  }

  private static ByteBuffer cString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocateDirect(b.length + 1);
    buf.put(0, b, 0, b.length);
    return buf;
  }

  static BpfLink kprobe(BpfProgram p, String function, boolean ret) {
    String hook = (ret ? "kretprobe " : "kprobe ") + function;
    checkType(p, hook, EnumSet.of(ProgramType.KPROBE), "SEC(\"" + (ret ? "kretprobe/" : "kprobe/") + function + "\")");
    String missing = KernelSupport.kprobesMissing();
    if (missing != null) {
      throw new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' to " + hook + ": " + missing);
    }
    PerfEvent.Attr a = new PerfEvent.Attr();
    a.type = pmuType(p, hook, "kprobe");
    a.config = ret ? retprobeBit(p, hook, "kprobe") : 0;
    ByteBuffer name = cString(function);
    a.config1 = Scratch.address(name);
    a.config2 = 0;
    int pfd;
    try {
      pfd = PerfEvent.open(a, -1, 0, -1, 0, hook);
    } catch (BpfSyscallException e) {
      throw failed(e, p, hook, e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL
          ? "no kernel function '" + function + "' that kprobes can trace (/proc/kallsyms lists the kernel's symbols;"
              + " some are blacklisted in /sys/kernel/debug/kprobes/blacklist)" : "");
    } finally {
      Reference.reachabilityFence(name);
    }
    return perfLink(p, pfd, hook);
  }

  static BpfLink uprobe(BpfProgram p, Path binary, String symbol, boolean ret, int pid) {
    String hook = (ret ? "uretprobe " : "uprobe ") + binary + ":" + symbol + (pid >= 0 ? " pid " + pid : "");
    checkType(p, hook, EnumSet.of(ProgramType.KPROBE), "SEC(\"" + (ret ? "uretprobe" : "uprobe") + "\")");
    NativeSymbols.Location where;
    try {
      where = NativeSymbols.find(binary, symbol);
    } catch (BpfException e) {
      throw new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' to " + hook + ": " + e.getMessage());
    }
    PerfEvent.Attr a = new PerfEvent.Attr();
    a.type = pmuType(p, hook, "uprobe");
    a.config = ret ? retprobeBit(p, hook, "uprobe") : 0;
    ByteBuffer path = cString(where.file().toAbsolutePath().toString());
    a.config1 = Scratch.address(path);
    a.config2 = where.offset();
    int pfd;
    try {
      // pid -1 probes every process (perf then needs a CPU: 0; the probe still fires on all CPUs).
      pfd = PerfEvent.open(a, pid >= 0 ? pid : -1, pid >= 0 ? -1 : 0, -1, 0, hook);
    } catch (BpfSyscallException e) {
      throw failed(e, p, hook, e.errno() == Errno.ESRCH ? "no process " + pid : "");
    } finally {
      Reference.reachabilityFence(path);
    }
    return perfLink(p, pfd, hook + " (" + where.file() + " +0x" + Long.toHexString(where.offset()) + ")");
  }

  // ---- sampling perf events ----

  static BpfLinks perfEvent(BpfProgram p, PerfEventType event, long frequencyHz, int cpu) {
    String base = "perf event " + event;
    checkType(p, base, EnumSet.of(ProgramType.PERF_EVENT), "SEC(\"perf_event\")");
    if (frequencyHz <= 0) {
      throw new IllegalArgumentException("frequencyHz must be positive, got " + frequencyHz);
    }
    List<Integer> cpus = cpu >= 0 ? List.of(cpu) : onlineCpus();
    List<BpfLink> links = new ArrayList<>();
    try {
      for (int c : cpus) {
        String hook = base + " on CPU " + c + " at " + frequencyHz + " Hz";
        PerfEvent.Attr a = new PerfEvent.Attr();
        a.type = event.perfType();
        a.config = event.perfConfig();
        a.samplePeriod = frequencyHz;
        a.freq = true;
        int pfd;
        try {
          pfd = PerfEvent.open(a, -1, c, -1, 0, hook);
        } catch (BpfSyscallException e) {
          throw failed(e, p, hook, e.errno() == Errno.ENOENT || e.errno() == Errno.EOPNOTSUPP
              ? "this machine has no " + event + " event (virtual machines often have no hardware PMU);"
                  + " PerfEventType.CPU_CLOCK works everywhere"
              : e.errno() == Errno.ENODEV || e.errno() == Errno.EINVAL ? "no CPU " + c + " online" : "");
        }
        links.add(perfLink(p, pfd, hook));
      }
      return new BpfLinks(links);
    } catch (RuntimeException e) {
      BpfLinks.closeAll(links);
      throw e;
    }
  }

  /** The online CPUs, from {@code /sys/devices/system/cpu/online} ({@code 0-3,5}). */
  static List<Integer> onlineCpus() {
    List<Integer> out = new ArrayList<>();
    try {
      for (String part : Files.readString(Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
        int dash = part.indexOf('-');
        int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
        int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
        for (int i = lo; i <= hi; i++) {
          out.add(i);
        }
      }
    } catch (IOException | NumberFormatException e) {
      for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
        out.add(i);
      }
    }
    return out;
  }

  // ---- cgroups ----

  private static final Set<ProgramType> CGROUP_TYPES = EnumSet.of(ProgramType.CGROUP_SKB, ProgramType.CGROUP_SOCK,
      ProgramType.CGROUP_SOCK_ADDR, ProgramType.SOCK_OPS, ProgramType.CGROUP_DEVICE, ProgramType.CGROUP_SYSCTL,
      ProgramType.CGROUP_SOCKOPT, ProgramType.LSM);

  static BpfLink cgroup(BpfProgram p, Path cgroup, AttachType type) {
    String hook = "cgroup " + cgroup + " (" + type + ")";
    checkType(p, hook, CGROUP_TYPES, "SEC(\"cgroup_skb/ingress\"), SEC(\"cgroup/connect4\")...");
    if (!Files.isDirectory(cgroup)) {
      throw new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' to " + hook + ": no cgroup '"
          + cgroup + "' (no such directory; cgroup v2 is usually mounted at /sys/fs/cgroup or /sys/fs/cgroup/unified)");
    }
    try {
      String fs = Files.getFileStore(cgroup).type();
      if (!"cgroup2".equals(fs)) {
        throw new BpfAttachException(p.name(), hook, "cannot attach '" + p.name() + "' to " + hook + ": '" + cgroup
            + "' is on " + fs + ", not a cgroup v2 file system; BPF cgroup programs attach to cgroup v2 directories");
      }
    } catch (IOException e) {
      // cannot tell the file system: let the kernel decide
    }
    int cfd;
    try {
      cfd = LibC.open(cgroup.toString(), LibC.O_RDONLY_DIRECTORY_CLOEXEC);
    } catch (com.sun.jna.LastErrorException e) {
      throw BpfSyscallException.of("open", cgroup.toString(), e.getErrorCode(), "the cgroup directory for " + hook);
    }
    int prog = p.acquire();
    try {
      // The link holds its own reference to the cgroup; the directory's fd is only needed here.
      int fd = LinkSys.linkCreate(prog, cfd, type.id(), 0, 0, hook);
      return new BpfLink(fd, -1, p.name(), hook, null, null);
    } catch (BpfSyscallException e) {
      throw failed(e, p, hook, e.errno() == Errno.EINVAL
          ? "attach type " + type + " does not fit the " + p.type() + " program (its section " + p.section()
              + " gives expected attach type " + p.attachType() + ")" : "");
    } finally {
      p.release();
      BpfLink.closeQuietly(cfd);
    }
  }
}
