package io.github.bpfmaps.elf;

import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.ProgramSpec;
import io.github.bpfmaps.spec.ProgramType;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where in the kernel's BTF a tracing or LSM program attaches, named the way libbpf names it from
 * the section ({@code libbpf.c}, {@code find_attach_btf_id}): {@code tp_btf/<tp>} is the typedef
 * {@code btf_trace_<tp>} the kernel declares for every raw tracepoint; {@code fentry}, {@code
 * fexit} and {@code fmod_ret} name a kernel function; {@code lsm/<hook>} is the function {@code
 * bpf_lsm_<hook>}; {@code iter/<name>} is {@code bpf_iter_<name>}. {@code module:function} limits the
 * search to one module, as in libbpf. The kernel loads these programs only with that BTF id
 * ({@code attach_btf_id} of {@code BPF_PROG_LOAD}).
 */
public final class AttachTargets {
  private AttachTargets() {}

  /**
   * What to look up for a program.
   *
   * @param name the BTF name, e.g. {@code btf_trace_sched_switch}
   * @param kind {@link BtfKind#TYPEDEF} for raw tracepoints, {@link BtfKind#FUNC} otherwise
   * @param module the only module to search, or null for vmlinux first, then every module
   */
  public record Lookup(String name, BtfKind kind, @Nullable String module) {
    /** For messages: {@code FUNC 'bpf_lsm_file_open'}. */
    public String describe() {
      return (kind == BtfKind.TYPEDEF ? "typedef" : kind == BtfKind.VAR ? "variable" : "function") + " '" + name + "'"
          + (module == null ? "" : " of module '" + module + "'");
    }
  }

  /**
   * A resolved target.
   *
   * @param btfId the id in vmlinux's BTF, or in the module's split BTF
   * @param module the module whose BTF has it, or empty for vmlinux
   */
  public record Target(int btfId, String module, Lookup lookup) {}

  /** True for programs the kernel loads only with a BTF attach target. */
  public static boolean needsKernelTarget(ProgramSpec p) {
    return (p.type() == ProgramType.TRACING || p.type() == ProgramType.LSM) && p.attachType() != null;
  }

  /**
   * The BTF name and kind a program's section asks for.
   *
   * @throws IllegalArgumentException if the program needs no kernel target ({@link
   *     #needsKernelTarget} is false) or its section names none ({@code SEC("fentry")} alone)
   */
  public static Lookup lookupFor(ProgramSpec p) {
    AttachType at = p.attachType();
    if (!needsKernelTarget(p) || at == null) {
      throw new IllegalArgumentException(p.name() + " (" + p.type() + ") has no kernel BTF target");
    }
    String target = p.attachTarget();
    if (target.isEmpty()) {
      throw new IllegalArgumentException("section '" + p.section() + "' names no target after its prefix");
    }
    String module = null;
    int colon = target.indexOf(':');
    if (colon > 0 && (at == AttachType.TRACE_FENTRY || at == AttachType.TRACE_FEXIT
        || at == AttachType.MODIFY_RETURN)) {
      module = target.substring(0, colon);
      target = target.substring(colon + 1);
    }
    switch (at) {
      case TRACE_RAW_TP:
        return new Lookup("btf_trace_" + target, BtfKind.TYPEDEF, module);
      case LSM_MAC: case LSM_CGROUP:
        return new Lookup("bpf_lsm_" + target, BtfKind.FUNC, module);
      case TRACE_ITER:
        return new Lookup("bpf_iter_" + target, BtfKind.FUNC, module);
      default:
        return new Lookup(target, BtfKind.FUNC, module);
    }
  }

  /** The first type of the lookup's kind and name in this BTF, as an id, or 0. */
  public static int find(Btf btf, Lookup lookup) {
    BtfType t = btf.find(lookup.kind(), lookup.name());
    // in split BTF, find() also sees the base's types; a module's target must be its own
    if (t == null || (btf.base() != null && t.id() <= btf.base().typeCount())) {
      return 0;
    }
    return t.id();
  }

  /**
   * Resolves a lookup (an attach target, or a {@code __ksym} variable or kfunc) against the running kernel: vmlinux first, then each module with BTF, as
   * libbpf does (or only the named module). Reads and caches the kernel's BTF on first use.
   *
   * @return the target, or null if no BTF has it
   */
  public static @Nullable Target resolve(Lookup lookup) {
    if (lookup.module() != null) {
      int id = find(KernelBtf.module(lookup.module()), lookup);
      return id == 0 ? null : new Target(id, lookup.module(), lookup);
    }
    int id = find(KernelBtf.vmlinux(), lookup);
    if (id != 0) {
      return new Target(id, "", lookup);
    }
    List<String> modules = KernelBtf.modules();
    for (String m : modules) {
      int mid = find(KernelBtf.module(m), lookup);
      if (mid != 0) {
        return new Target(mid, m, lookup);
      }
    }
    return null;
  }
}
