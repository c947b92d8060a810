package io.github.bpfmaps.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpfmaps.spec.AttachType;
import io.github.bpfmaps.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgramSectionsTest {
  @ParameterizedTest(name = "{0} -> {1} {2} ''{3}''")
  @CsvSource(nullValues = "null", value = {
    "xdp, XDP, XDP, ''",
    "xdp/devmap, XDP, XDP_DEVMAP, ''",
    "xdp.frags/cpumap, XDP, XDP_CPUMAP, ''",
    "xdp.frags, XDP, XDP, ''",
    "tc, SCHED_CLS, null, ''",
    "classifier, SCHED_CLS, null, ''",
    "classifier/ingress, SCHED_CLS, null, ingress",
    "action, SCHED_ACT, null, ''",
    "kprobe/do_sys_open, KPROBE, null, do_sys_open",
    "kretprobe/tcp_sendmsg, KPROBE, null, tcp_sendmsg",
    "uprobe//bin/bash:readline, KPROBE, null, /bin/bash:readline",
    "kprobe.multi/tcp_*, KPROBE, TRACE_KPROBE_MULTI, tcp_*",
    "tracepoint/syscalls/sys_enter_openat, TRACEPOINT, null, syscalls/sys_enter_openat",
    "tp/sched/sched_switch, TRACEPOINT, null, sched/sched_switch",
    "raw_tracepoint/sched_switch, RAW_TRACEPOINT, null, sched_switch",
    "raw_tp/sched_switch, RAW_TRACEPOINT, null, sched_switch",
    "raw_tp.w/bpf_test_finish, RAW_TRACEPOINT_WRITABLE, null, bpf_test_finish",
    "tp_btf/sched_switch, TRACING, TRACE_RAW_TP, sched_switch",
    "socket, SOCKET_FILTER, null, ''",
    "cgroup_skb/ingress, CGROUP_SKB, CGROUP_INET_INGRESS, ''",
    "cgroup_skb/egress, CGROUP_SKB, CGROUP_INET_EGRESS, ''",
    "cgroup/skb, CGROUP_SKB, null, ''",
    "cgroup/sock_create, CGROUP_SOCK, CGROUP_INET_SOCK_CREATE, ''",
    "cgroup/connect4, CGROUP_SOCK_ADDR, CGROUP_INET4_CONNECT, ''",
    "cgroup/getsockopt, CGROUP_SOCKOPT, CGROUP_GETSOCKOPT, ''",
    "cgroup/dev, CGROUP_DEVICE, CGROUP_DEVICE, ''",
    "fentry/tcp_v4_connect, TRACING, TRACE_FENTRY, tcp_v4_connect",
    "fexit/tcp_v4_connect, TRACING, TRACE_FEXIT, tcp_v4_connect",
    "fmod_ret/security_bpf, TRACING, MODIFY_RETURN, security_bpf",
    "fentry.s/do_sys_open, TRACING, TRACE_FENTRY, do_sys_open",
    "freplace/xdp_dispatcher, EXT, null, xdp_dispatcher",
    "lsm/file_open, LSM, LSM_MAC, file_open",
    "iter/task, TRACING, TRACE_ITER, task",
    "sk_skb/stream_parser, SK_SKB, SK_SKB_STREAM_PARSER, ''",
    "sk_msg, SK_MSG, SK_MSG_VERDICT, ''",
    "sockops, SOCK_OPS, CGROUP_SOCK_OPS, ''",
    "flow_dissector, FLOW_DISSECTOR, FLOW_DISSECTOR, ''",
    "sk_lookup, SK_LOOKUP, SK_LOOKUP, ''",
    "struct_ops/tcp_init, STRUCT_OPS, null, tcp_init",
    "syscall, SYSCALL, null, ''",
    "perf_event, PERF_EVENT, null, ''",
    "lwt_xmit, LWT_XMIT, null, ''",
    "netfilter, NETFILTER, NETFILTER, ''",
    "xdpfoo, UNSPEC, null, ''",
    "maps, UNSPEC, null, ''",
    "kprobes, UNSPEC, null, ''",
  })
  void sectionNamesGiveProgramAndAttachTypesAsLibbpfReadsThem(
      String section, ProgramType type, AttachType attach, String target) {
    ProgramSections.Definition d = ProgramSections.forSection(section);
    assertEquals(type, d.type(), section);
    assertEquals(attach, d.attachType(), section);
    assertEquals(target, d.attachTarget(), section);
  }
}
