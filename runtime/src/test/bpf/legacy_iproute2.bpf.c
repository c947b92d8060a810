// SPDX-License-Identifier: GPL-2.0
/* Test object: iproute2's struct bpf_elf_map (bpf_map_def plus id, pinning, inner_id,
 * inner_idx), a map-in-map built with inner_id, and no BTF at all, as old toolchains produced.
 * build-bpf-flags: -g0 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_elf_map {
	__u32 type;
	__u32 size_key;
	__u32 size_value;
	__u32 max_elem;
	__u32 flags;
	__u32 id;
	__u32 pinning;
	__u32 inner_id;
	__u32 inner_idx;
};

#define PIN_GLOBAL_NS 2

struct bpf_elf_map SEC("maps") inner_tmpl = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = 4,
	.size_value = 8,
	.max_elem = 1,
	.id = 1,
	.inner_idx = 0,
};

struct bpf_elf_map SEC("maps") outer = {
	.type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
	.size_key = 4,
	.size_value = 4,
	.max_elem = 4,
	.inner_id = 1,
};

struct bpf_elf_map SEC("maps") pinned_counts = {
	.type = BPF_MAP_TYPE_HASH,
	.size_key = 4,
	.size_value = 8,
	.max_elem = 32,
	.pinning = PIN_GLOBAL_NS,
};

static __attribute__((noinline)) int bump(__u32 key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(&pinned_counts, &key);

	if (v)
		return *v;
	bpf_map_update_elem(&pinned_counts, &key, &one, BPF_ANY);
	return 0;
}

SEC("classifier/ingress")
int tc_ingress(struct __sk_buff *skb)
{
	__u32 key = 0;
	void *inner = bpf_map_lookup_elem(&outer, &key);

	if (inner)
		bpf_map_lookup_elem(inner, &key);
	return bump(skb->mark) + bump(skb->len);
}

SEC("kprobe/do_sys_open")
int probe_open(void *ctx)
{
	return bump(7);
}

char __license[] SEC("license") = "Dual BSD/GPL";
