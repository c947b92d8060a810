// SPDX-License-Identifier: GPL-2.0
/* A sampling profiler: runs on every tick of a perf event (cpu-clock on each CPU), records the
 * interrupted task's kernel and user stacks in a STACK_TRACE map and counts each (task, stacks)
 * pair in a hash. User space symbolizes the kernel stacks from /proc/kallsyms. */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>

#define MAX_DEPTH 127 /* PERF_MAX_STACK_DEPTH */

struct stack_key {
	__u32 pid;
	__s32 kernel_stack; /* stack id, or a negative errno (-EFAULT: the task was in user mode) */
	__s32 user_stack;
	char comm[16];
};

struct stack_trace {
	__u64 ips[MAX_DEPTH]; /* innermost first, 0 after the last frame */
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__type(key, __u32);
	__type(value, struct stack_trace);
	__uint(max_entries, 4096);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct stack_key);
	__type(value, __u64);
	__uint(max_entries, 4096);
} stack_counts SEC(".maps");

SEC("perf_event")
int profile_tick(struct bpf_perf_event_data *ctx)
{
	struct stack_key key = {};
	__u64 one = 1, *n;

	key.pid = bpf_get_current_pid_tgid() >> 32;
	if (key.pid == 0)
		return 0; /* the idle task */
	key.kernel_stack = bpf_get_stackid(ctx, &stacks, 0);
	key.user_stack = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	n = bpf_map_lookup_elem(&stack_counts, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&stack_counts, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
