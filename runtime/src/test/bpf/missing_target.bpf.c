// SPDX-License-Identifier: GPL-2.0
/* Test object: a tp_btf program on a raw tracepoint no kernel has. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tp_btf/bpfmaps_no_such_tracepoint")
int on_nothing(__u64 *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
