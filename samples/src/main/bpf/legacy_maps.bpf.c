// SPDX-License-Identifier: GPL-2.0
/* The pre-BTF convention of the kernel's old samples/bpf: map definitions are records of
 * struct bpf_map_def in the "maps" section. libbpf 1.x no longer reads them; bpfmaps does.
 * The struct is declared here because libbpf's headers dropped it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") proto_count = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 256,
};

struct bpf_map_def SEC("maps") len_hist = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 64,
	.map_flags = BPF_F_NO_PREALLOC,
};

SEC("socket")
int count_protocols(struct __sk_buff *skb)
{
	__u32 proto = skb->protocol & 0xff;
	__u32 bucket = skb->len / 64;
	__u64 one = 1;
	__u64 *value;

	value = bpf_map_lookup_elem(&proto_count, &proto);
	if (value)
		__sync_fetch_and_add(value, 1);
	value = bpf_map_lookup_elem(&len_hist, &bucket);
	if (value)
		__sync_fetch_and_add(value, 1);
	else
		bpf_map_update_elem(&len_hist, &bucket, &one, BPF_ANY);
	return 0;
}

char _license[] SEC("license") = "GPL";
