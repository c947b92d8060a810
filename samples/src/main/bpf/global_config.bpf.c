// SPDX-License-Identifier: GPL-2.0
/* Global data: .rodata constants set by the loader before load, .data and .bss variables the
 * program updates, a custom .data.* section, and a subprogram in .text. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* .rodata: the verifier sees the values, so branches on them are pruned. */
const volatile __u32 min_len = 0;
const volatile __u32 verdict = XDP_PASS;

/* .data: initialised to something other than zero. */
__u32 config_version = 3;

/* .bss: zero-initialised, so no bytes in the file. */
__u64 packets_seen;
__u64 bytes_seen;
__u64 short_packets;

/* A custom data section: becomes its own ARRAY map named after the section. */
__u64 last_len SEC(".data.stats") = 0;

static __attribute__((noinline)) int is_short(__u64 len)
{
	return len < min_len;
}

SEC("xdp")
int xdp_config(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;

	__sync_fetch_and_add(&packets_seen, 1);
	__sync_fetch_and_add(&bytes_seen, len);
	last_len = len;
	if (is_short(len)) {
		short_packets++;
		return XDP_DROP;
	}
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
