// SPDX-License-Identifier: GPL-2.0
/*
 * Commands from user space through a user ring buffer: each run of the XDP program drains every
 * command waiting in 'commands' (bpf_user_ringbuf_drain calls on_command once per record) and
 * answers through the 'results' array: the sum of the ADD arguments, the largest MAX argument, how
 * many commands it saw and how many drains returned records.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define OP_ADD 0
#define OP_MAX 1

struct command {
	__u32 op;
	__u32 arg;
};

struct result {
	__u64 sum;
	__u64 max;
	__u64 commands;
	__u64 drains;
};

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} commands SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct result);
} results SEC(".maps");

static long on_command(struct bpf_dynptr *dynptr, void *ctx)
{
	struct result *r = ctx;
	struct command cmd;

	if (bpf_dynptr_read(&cmd, sizeof(cmd), dynptr, 0, 0))
		return 1; /* a record shorter than a command: stop draining */
	if (cmd.op == OP_ADD)
		r->sum += cmd.arg;
	else if (cmd.op == OP_MAX && cmd.arg > r->max)
		r->max = cmd.arg;
	r->commands++;
	return 0;
}

SEC("xdp")
int drain_commands(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct result *r = bpf_map_lookup_elem(&results, &zero);
	struct result step = {};
	long n;

	if (!r)
		return XDP_ABORTED;
	/* The callback context must live on the stack (the verifier wants a frame pointer). */
	step.max = r->max;
	n = bpf_user_ringbuf_drain(&commands, on_command, &step, 0);
	r->sum += step.sum;
	r->max = step.max;
	r->commands += step.commands;
	if (n > 0)
		r->drains++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
