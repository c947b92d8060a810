// SPDX-License-Identifier: GPL-2.0
/* A per-CPU packet counter, bumped by a socket filter without atomics. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} pkt_count SEC(".maps");

SEC("socket")
int count_packets(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&pkt_count, &zero);

	if (count)
		*count += 1;
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
