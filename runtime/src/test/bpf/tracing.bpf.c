// SPDX-License-Identifier: GPL-2.0
/* Test object: programs that the kernel loads only with a BTF attach target, resolved from
 * /sys/kernel/btf/vmlinux: a BTF-enabled raw tracepoint (btf_trace_sched_switch) and a task
 * iterator (bpf_iter_task). The kernel structs are declared here with only the fields read;
 * preserve_access_index makes their offsets CO-RE relocations against the running kernel. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

struct seq_file;
struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} switches SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

__u32 last_next_pid;
__u64 tasks_seen;

/* tp_btf/sched_switch: (bool preempt, struct task_struct *prev, struct task_struct *next, ...) */
SEC("tp_btf/sched_switch")
int on_switch(__u64 *ctx)
{
	struct task_struct *next = (struct task_struct *)ctx[2];
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&switches, &zero);

	if (n)
		__sync_fetch_and_add(n, 1);
	last_next_pid = next->pid;
	return 0;
}

SEC("iter/task")
int count_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (task) {
		__u32 tgid = task->tgid;

		tasks_seen++;
		bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &tgid, sizeof(tgid));
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
