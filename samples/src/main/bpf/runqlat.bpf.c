// SPDX-License-Identifier: GPL-2.0
/* Run-queue latency: the time from a task becoming runnable (woken, or preempted while runnable)
 * to it running, as a log2 histogram of microseconds. BTF-enabled raw tracepoints (tp_btf) on
 * sched_wakeup, sched_wakeup_new and sched_switch; task_struct's fields are CO-RE relocated. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TASK_RUNNING 0
#define SLOTS 32

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);   /* pid */
	__type(value, __u64); /* when it became runnable, ns */
	__uint(max_entries, 10240);
} runnable_since SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);   /* log2 of the latency in microseconds */
	__type(value, __u64); /* how many */
	__uint(max_entries, SLOTS);
} runq_hist SEC(".maps");

static __always_inline void enqueued(struct task_struct *p)
{
	__u32 pid = p->pid;
	__u64 now = bpf_ktime_get_ns();

	if (pid)
		bpf_map_update_elem(&runnable_since, &pid, &now, BPF_ANY);
}

static __always_inline __u32 log2l(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) { r += 1; }
	return r;
}

/* sched_wakeup(struct task_struct *p) */
SEC("tp_btf/sched_wakeup")
int on_wakeup(__u64 *ctx)
{
	enqueued((struct task_struct *)ctx[0]);
	return 0;
}

/* sched_wakeup_new(struct task_struct *p) */
SEC("tp_btf/sched_wakeup_new")
int on_wakeup_new(__u64 *ctx)
{
	enqueued((struct task_struct *)ctx[0]);
	return 0;
}

/* sched_switch(bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state) */
SEC("tp_btf/sched_switch")
int on_switch(__u64 *ctx)
{
	struct task_struct *prev = (struct task_struct *)ctx[1];
	struct task_struct *next = (struct task_struct *)ctx[2];
	__u32 prev_state = (__u32)ctx[3];
	__u32 pid = next->pid;
	__u64 *since, delta, *count;
	__u32 slot;

	if (prev_state == TASK_RUNNING)
		enqueued(prev); /* preempted: back on the run queue */
	since = bpf_map_lookup_elem(&runnable_since, &pid);
	if (!since)
		return 0;
	delta = (bpf_ktime_get_ns() - *since) / 1000;
	bpf_map_delete_elem(&runnable_since, &pid);
	slot = log2l(delta);
	if (slot >= SLOTS)
		slot = SLOTS - 1;
	count = bpf_map_lookup_elem(&runq_hist, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
