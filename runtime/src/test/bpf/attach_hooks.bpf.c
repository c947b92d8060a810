// SPDX-License-Identifier: GPL-2.0
/* One program per hook the attach tests exercise; each counts its runs in its own slot of `counts`
 * (tracing programs only for the test's own process, whose tgid the test sets before the load). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum { XDP_A, XDP_B, TCX, TP, RAW_TP, PERF, UPROBE, KPROBE, CGROUP, NSLOTS = 16 };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, NSLOTS);
} counts SEC(".maps");

const volatile __u32 target_tgid = 0;

static __always_inline void count(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&counts, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline int mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("xdp")
int xdp_a(struct xdp_md *ctx)
{
	count(XDP_A);
	return XDP_PASS;
}

SEC("xdp")
int xdp_b(struct xdp_md *ctx)
{
	count(XDP_B);
	return XDP_PASS;
}

SEC("tc")
int tcx_count(struct __sk_buff *skb)
{
	count(TCX);
	return -1; /* TCX_NEXT: let the rest of the chain decide */
}

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat(void *ctx)
{
	if (mine())
		count(TP);
	return 0;
}

SEC("raw_tp/sys_enter")
int raw_sys_enter(void *ctx)
{
	if (mine())
		count(RAW_TP);
	return 0;
}

SEC("perf_event")
int perf_tick(void *ctx)
{
	count(PERF);
	return 0;
}

SEC("uprobe")
int uprobe_hit(void *ctx)
{
	if (mine())
		count(UPROBE);
	return 0;
}

SEC("kprobe")
int kprobe_hit(void *ctx)
{
	count(KPROBE);
	return 0;
}

SEC("cgroup_skb/egress")
int cgroup_egress(struct __sk_buff *skb)
{
	count(CGROUP);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
