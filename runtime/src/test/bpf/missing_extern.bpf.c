// SPDX-License-Identifier: GPL-2.0
/* Test object: a kfunc no kernel has, not __weak, so the load must fail naming it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpfmaps_no_such_kfunc(void) __ksym;

SEC("xdp")
int needs_missing(struct xdp_md *ctx)
{
	bpfmaps_no_such_kfunc();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
