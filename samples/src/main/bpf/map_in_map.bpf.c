// SPDX-License-Identifier: GPL-2.0
/* Maps of maps: an ARRAY_OF_MAPS whose slot 0 starts out holding inner_a, and a HASH_OF_MAPS,
 * both with the same inner template. The program counts into whichever inner map slot 0 holds. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_array SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 16);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_hash SEC(".maps");

SEC("xdp")
int xdp_map_in_map(struct xdp_md *ctx)
{
	__u32 slot = 0, idx = 0;
	__u64 *count;
	void *inner = bpf_map_lookup_elem(&outer_array, &slot);

	if (!inner)
		return XDP_PASS;
	count = bpf_map_lookup_elem(inner, &idx);
	if (count)
		__sync_fetch_and_add(count, 1);
	inner = bpf_map_lookup_elem(&outer_hash, &slot);
	if (inner) {
		count = bpf_map_lookup_elem(inner, &idx);
		if (count)
			__sync_fetch_and_add(count, 1);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
