// SPDX-License-Identifier: GPL-2.0
/* The exec snooper over a perf event array, for kernels before ring buffers (5.8) and for tools
 * built around bpf_perf_event_output: every execve(2) as one sample on the CPU it happened on.
 * Same event as exec_snoop.bpf.c; attached to the tracepoint syscalls/sys_enter_execve. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct exec_event {
	__u32 pid;
	__u32 uid;
	char comm[16];
	char filename[128];
};

/* max_entries 0: the loader makes one slot per possible CPU, as libbpf does. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} exec_perf SEC(".maps");

/* The tracepoint's record, as events/syscalls/sys_enter_execve/format in tracefs lays it out. */
struct sys_enter_execve_args {
	__u64 common;
	__s32 syscall_nr;
	__u32 pad;
	const char *filename;
	const char *const *argv;
	const char *const *envp;
};

SEC("tracepoint/syscalls/sys_enter_execve")
int snoop_execve_perf(struct sys_enter_execve_args *ctx)
{
	struct exec_event e = {};

	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_probe_read_user_str(e.filename, sizeof(e.filename), ctx->filename);
	bpf_perf_event_output(ctx, &exec_perf, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
