// SPDX-License-Identifier: GPL-2.0
/* An object the kernel cannot create all maps of: rel_small_a and rel_small_b are created (and
 * pinned by name) first, then rel_too_big asks for more than the kernel's hash size limit (E2BIG,
 * refused before any allocation). A test loads it and checks that the maps made before the refusal
 * are released and their pins removed. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rel_small_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rel_small_b SEC(".maps");

struct big_value {
	__u8 bytes[1024];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, struct big_value);
	__uint(max_entries, 2000000000);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rel_too_big SEC(".maps");

SEC("xdp")
int xdp_touch(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 wide = 0;
	__u64 *v = bpf_map_lookup_elem(&rel_small_a, &key);
	struct big_value *b;

	if (v)
		*v += 1;
	v = bpf_map_lookup_elem(&rel_small_b, &key);
	if (v)
		*v += 1;
	/* clang lays the maps out in the order the code first names them; this one comes last */
	b = bpf_map_lookup_elem(&rel_too_big, &wide);
	return b ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
