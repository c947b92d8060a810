// SPDX-License-Identifier: GPL-2.0
/* Test object: a PROG_ARRAY whose slot 1 is preset to a program (a relocation in .maps against
 * a function symbol), two XDP programs in one section, and bpf_printk's format strings. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int tail(struct xdp_md *ctx)
{
	bpf_printk("tail %d", 1);
	return XDP_DROP;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jumps SEC(".maps") = {
	.values = { [1] = (void *)&tail },
};

SEC("xdp")
int entry(struct xdp_md *ctx)
{
	bpf_printk("entry");
	bpf_tail_call(ctx, &jumps, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
