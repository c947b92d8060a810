// SPDX-License-Identifier: GPL-2.0
/* A program the verifier refuses: it reads a map value without checking the lookup's NULL.
 * Its maps load first (seen pinned by name), so a test can check that a refused load releases them
 * all and removes the pin it made. The first
 * program is fine, so one program is already loaded when the second is refused. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} seen SEC(".maps");

__u64 total;

SEC("xdp")
int xdp_fine(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);

	if (v)
		__sync_fetch_and_add(v, 1);
	total++;
	return XDP_PASS;
}

SEC("xdp")
int xdp_unchecked(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 *v = bpf_map_lookup_elem(&seen, &key);

	return *v ? XDP_PASS : XDP_DROP; /* no NULL check: "invalid mem access 'map_value_or_null'" */
}

char LICENSE[] SEC("license") = "GPL";
