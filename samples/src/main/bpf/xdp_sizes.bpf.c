// SPDX-License-Identifier: GPL-2.0
/*
 * A log2 histogram of packet sizes per ingress interface, as biolatency and runqlat keep latencies:
 * slot i counts the packets of at most 2^i bytes (and more than 2^(i-1)), so slot i is the
 * Prometheus bucket le="2^i" (ebpf_exporter's exp2 buckets). The last slot also takes everything
 * larger.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SIZE_SLOTS 16

struct size_hist {
	__u64 slots[SIZE_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct size_hist);
	__uint(max_entries, 64);
} pkt_sizes SEC(".maps");

/* The smallest i with len <= 2^i, at most SIZE_SLOTS - 1: a bounded loop the verifier accepts. */
static __always_inline __u32 size_slot(__u64 len)
{
	__u32 slot = 0;

#pragma unroll
	for (int i = 0; i < SIZE_SLOTS - 1; i++) {
		if ((1ULL << slot) < len)
			slot++;
	}
	return slot;
}

SEC("xdp")
int xdp_sizes(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 key = ctx->ingress_ifindex;
	__u32 slot = size_slot(data_end - data);
	struct size_hist *h = bpf_map_lookup_elem(&pkt_sizes, &key);

	if (!h) {
		struct size_hist zero = {};

		bpf_map_update_elem(&pkt_sizes, &key, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&pkt_sizes, &key);
		if (!h)
			return XDP_PASS;
	}
	if (slot < SIZE_SLOTS)
		__sync_fetch_and_add(&h->slots[slot], 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
