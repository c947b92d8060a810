package io.github.bpfmaps.elf;

import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.ProgramType;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Program type and expected attach type from an ELF section name, following the conventions of
 * libbpf's {@code SEC()} table: a name matches a prefix when it equals the prefix or continues it
 * with {@code /} (so {@code kprobe/do_sys_open} and {@code xdp} match, {@code xdpfoo} does not).
 * More specific prefixes come first. Unknown names give {@link ProgramType#UNSPEC}.
 */
public final class ProgramSections {
  private ProgramSections() {}

  /** What a section name says about its programs. */
  public record Definition(ProgramType type, @Nullable AttachType attachType, String attachTarget) {}

  private record Rule(String prefix, ProgramType type, @Nullable AttachType attach) {}

  private static Rule r(String prefix, ProgramType type, @Nullable AttachType attach) {
    return new Rule(prefix, type, attach);
  }

  private static final List<Rule> RULES = List.of(
      r("socket", ProgramType.SOCKET_FILTER, null),
      r("sk_reuseport/migrate", ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT_OR_MIGRATE),
      r("sk_reuseport", ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT),
      r("kprobe.multi", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI),
      r("kretprobe.multi", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI),
      r("kprobe", ProgramType.KPROBE, null),
      r("kretprobe", ProgramType.KPROBE, null),
      r("uprobe", ProgramType.KPROBE, null),
      r("uprobe.s", ProgramType.KPROBE, null),
      r("uretprobe", ProgramType.KPROBE, null),
      r("uretprobe.s", ProgramType.KPROBE, null),
      r("ksyscall", ProgramType.KPROBE, null),
      r("kretsyscall", ProgramType.KPROBE, null),
      r("usdt", ProgramType.KPROBE, null),
      r("tc", ProgramType.SCHED_CLS, null),
      r("classifier", ProgramType.SCHED_CLS, null),
      r("action", ProgramType.SCHED_ACT, null),
      r("tracepoint", ProgramType.TRACEPOINT, null),
      r("tp", ProgramType.TRACEPOINT, null),
      r("raw_tracepoint.w", ProgramType.RAW_TRACEPOINT_WRITABLE, null),
      r("raw_tp.w", ProgramType.RAW_TRACEPOINT_WRITABLE, null),
      r("raw_tracepoint", ProgramType.RAW_TRACEPOINT, null),
      r("raw_tp", ProgramType.RAW_TRACEPOINT, null),
      r("tp_btf", ProgramType.TRACING, AttachType.TRACE_RAW_TP),
      r("fentry", ProgramType.TRACING, AttachType.TRACE_FENTRY),
      r("fentry.s", ProgramType.TRACING, AttachType.TRACE_FENTRY),
      r("fmod_ret", ProgramType.TRACING, AttachType.MODIFY_RETURN),
      r("fmod_ret.s", ProgramType.TRACING, AttachType.MODIFY_RETURN),
      r("fexit", ProgramType.TRACING, AttachType.TRACE_FEXIT),
      r("fexit.s", ProgramType.TRACING, AttachType.TRACE_FEXIT),
      r("freplace", ProgramType.EXT, null),
      r("lsm", ProgramType.LSM, AttachType.LSM_MAC),
      r("lsm.s", ProgramType.LSM, AttachType.LSM_MAC),
      r("lsm_cgroup", ProgramType.LSM, AttachType.LSM_CGROUP),
      r("iter", ProgramType.TRACING, AttachType.TRACE_ITER),
      r("iter.s", ProgramType.TRACING, AttachType.TRACE_ITER),
      r("syscall", ProgramType.SYSCALL, null),
      r("xdp.frags/devmap", ProgramType.XDP, AttachType.XDP_DEVMAP),
      r("xdp/devmap", ProgramType.XDP, AttachType.XDP_DEVMAP),
      r("xdp.frags/cpumap", ProgramType.XDP, AttachType.XDP_CPUMAP),
      r("xdp/cpumap", ProgramType.XDP, AttachType.XDP_CPUMAP),
      r("xdp.frags", ProgramType.XDP, AttachType.XDP),
      r("xdp", ProgramType.XDP, AttachType.XDP),
      r("perf_event", ProgramType.PERF_EVENT, null),
      r("lwt_in", ProgramType.LWT_IN, null),
      r("lwt_out", ProgramType.LWT_OUT, null),
      r("lwt_xmit", ProgramType.LWT_XMIT, null),
      r("lwt_seg6local", ProgramType.LWT_SEG6LOCAL, null),
      r("sockops", ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS),
      r("sk_skb/stream_parser", ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_PARSER),
      r("sk_skb/stream_verdict", ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT),
      r("sk_skb", ProgramType.SK_SKB, null),
      r("sk_msg", ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT),
      r("lirc_mode2", ProgramType.LIRC_MODE2, AttachType.LIRC_MODE2),
      r("flow_dissector", ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR),
      r("cgroup_skb/ingress", ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS),
      r("cgroup_skb/egress", ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS),
      r("cgroup/skb", ProgramType.CGROUP_SKB, null),
      r("cgroup/sock_create", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE),
      r("cgroup/sock_release", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_RELEASE),
      r("cgroup/sock", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE),
      r("cgroup/post_bind4", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND),
      r("cgroup/post_bind6", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET6_POST_BIND),
      r("cgroup/bind4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND),
      r("cgroup/bind6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_BIND),
      r("cgroup/connect4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT),
      r("cgroup/connect6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_CONNECT),
      r("cgroup/sendmsg4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_SENDMSG),
      r("cgroup/sendmsg6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG),
      r("cgroup/recvmsg4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_RECVMSG),
      r("cgroup/recvmsg6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_RECVMSG),
      r("cgroup/getpeername4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETPEERNAME),
      r("cgroup/getpeername6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETPEERNAME),
      r("cgroup/getsockname4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETSOCKNAME),
      r("cgroup/getsockname6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETSOCKNAME),
      r("cgroup/sysctl", ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL),
      r("cgroup/getsockopt", ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT),
      r("cgroup/setsockopt", ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT),
      r("cgroup/dev", ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE),
      r("struct_ops", ProgramType.STRUCT_OPS, null),
      r("struct_ops.s", ProgramType.STRUCT_OPS, null),
      r("sk_lookup", ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP),
      r("netfilter", ProgramType.NETFILTER, AttachType.NETFILTER));

  /** The program type, expected attach type and attach target a section name implies. */
  public static Definition forSection(String section) {
    Rule best = null;
    for (Rule rule : RULES) {
      if (matches(section, rule.prefix()) && (best == null || rule.prefix().length() > best.prefix().length())) {
        best = rule;
      }
    }
    if (best == null) {
      return new Definition(ProgramType.UNSPEC, null, "");
    }
    String target = section.length() > best.prefix().length() ? section.substring(best.prefix().length() + 1) : "";
    return new Definition(best.type(), best.attach(), target);
  }

  /** {@code BPF_F_SLEEPABLE} ({@code include/uapi/linux/bpf.h}). */
  public static final int F_SLEEPABLE = 1 << 4;
  /** {@code BPF_F_XDP_HAS_FRAGS}. */
  public static final int F_XDP_HAS_FRAGS = 1 << 5;

  /**
   * The {@code prog_flags} a section name implies, as libbpf's table sets them: sleepable for the
   * {@code .s} variants ({@code fentry.s/…}, {@code lsm.s/…}, {@code iter.s/…}, {@code uprobe.s}),
   * multi-buffer for {@code xdp.frags}.
   */
  public static int loadFlags(String section) {
    int slash = section.indexOf('/');
    String prefix = slash < 0 ? section : section.substring(0, slash);
    int flags = 0;
    if (prefix.endsWith(".s") && forSection(section).type() != ProgramType.UNSPEC) {
      flags |= F_SLEEPABLE;
    }
    if (prefix.equals("xdp.frags")) {
      flags |= F_XDP_HAS_FRAGS;
    }
    return flags;
  }

  private static boolean matches(String section, String prefix) {
    return section.equals(prefix)
        || (section.length() > prefix.length() && section.startsWith(prefix) && section.charAt(prefix.length()) == '/');
  }
}
