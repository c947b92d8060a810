package io.github.bpfmaps.runtime;

import io.github.bpfmaps.elf.AttachTargets;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.ProgramSpec;
import io.github.bpfmaps.spec.ProgramType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Why this kernel refuses a program whose BTF target was found: fentry, fexit, fmod_ret and LSM
 * programs run from a BPF trampoline, which the kernel builds on the function's ftrace entry. A
 * kernel whose ftrace lists no traceable functions (or hides the list) answers {@code EPERM} with no
 * verifier log, which reads like a missing capability; the messages here say what is really going on.
 */
final class TracingLimits {
  private TracingLimits() {}

  static final Path FILTER_FUNCTIONS = Path.of("/sys/kernel/tracing/available_filter_functions");

  /** True for the attach types that need a trampoline on the target function. */
  static boolean usesTrampoline(ProgramSpec s) {
    AttachType at = s.attachType();
    return at == AttachType.TRACE_FENTRY || at == AttachType.TRACE_FEXIT || at == AttachType.MODIFY_RETURN
        || at == AttachType.LSM_MAC || at == AttachType.LSM_CGROUP;
  }

  /**
   * The explanation for a refused load of a program whose target was resolved, or null when the
   * verifier's log says enough. Reads one tracefs file at most.
   */
  static @Nullable String whyRefused(ProgramSpec s, AttachTargets.Target target, int errno, String log) {
    if (!usesTrampoline(s) || !log.strip().isEmpty() || (errno != Errno.EPERM && errno != Errno.EINVAL
        && errno != Errno.ENOTSUPP && errno != Errno.EOPNOTSUPP)) {
      return null;
    }
    String found = "its target, the kernel's " + target.lookup().describe() + ", was found (BTF id "
        + target.btfId() + (target.module().isEmpty() ? "" : " of module " + target.module()) + ")";
    String ftrace = ftraceState();
    String what = s.type() == ProgramType.LSM ? "LSM programs" : "fentry, fexit and fmod_ret programs";
    if (ftrace != null) {
      return "this kernel refuses " + what + ": they run from a BPF trampoline on the function's ftrace"
          + " entry, and " + ftrace + ", so no function can carry one (libbpf fails the same way); "
          + found;
    }
    return "the kernel refused to put a BPF trampoline on " + target.lookup().describe() + " ("
        + (s.type() == ProgramType.LSM ? "is \"bpf\" in the kernel's lsm= list (CONFIG_LSM)? " : "")
        + "a function marked notrace or inlined cannot be traced); " + found;
  }

  /** What stops ftrace from tracing any function, or null if it lists some. */
  static @Nullable String ftraceState() {
    if (!Files.exists(FILTER_FUNCTIONS.getParent())) {
      return "tracefs is not mounted at /sys/kernel/tracing, so whether ftrace can trace functions is unknown";
    }
    try (InputStream in = Files.newInputStream(FILTER_FUNCTIONS)) {
      if (in.read() < 0) {
        return "its ftrace lists no traceable functions (" + FILTER_FUNCTIONS + " is empty)";
      }
      return null;
    } catch (IOException e) {
      return "its ftrace does not list traceable functions (" + FILTER_FUNCTIONS + " cannot be read: "
          + (e.getMessage() == null ? e.toString() : e.getMessage()) + ")";
    }
  }

  /** For a target that is missing: a hint on where such names come from. */
  static String hintFor(ProgramSpec s) {
    AttachType at = s.attachType();
    if (at == AttachType.TRACE_RAW_TP) {
      return " (tp_btf/<name> needs a raw tracepoint the kernel declares as btf_trace_<name>; see"
          + " `bpftool btf dump file /sys/kernel/btf/vmlinux | grep btf_trace_`)";
    }
    if (at == AttachType.TRACE_ITER) {
      return " (iter/<name> needs a BPF iterator the kernel declares as bpf_iter_<name>)";
    }
    if (at == AttachType.LSM_MAC || at == AttachType.LSM_CGROUP) {
      return " (lsm/<hook> needs an LSM hook the kernel declares as bpf_lsm_<hook>)";
    }
    return " (the function may be static and inlined, or in a module that is not loaded; a program that"
        + " traces another BPF program, as xdpdump's fentry/func does, needs that program as its target"
        + " (attach_prog_fd), which loading from the object alone cannot give, in libbpf either)";
  }
}
