// SPDX-License-Identifier: GPL-2.0
/* The kernel side of the reliability load test: every run adds to counters that user space threads
 * read meanwhile (and write their own keys of), so the test can check that the totals add up
 * exactly.
 *   shared     ARRAY of __u64, slot 0 = runs, slot 1 = bytes: __sync_fetch_and_add, since
 *              several CPUs run the program at once (one BPF_PROG_TEST_RUN per Java thread).
 *   per_cpu    PERCPU_ARRAY of __u64, slot 0 = runs: a plain add, each CPU owns its slot.
 *   mixed      HASH __u32 -> __u64: key 0 is the program's (atomic add of 1 per run); keys 1..N
 *              belong to Java threads, which the program never touches. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 2);
} shared SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 64);
} mixed SEC(".maps");

SEC("xdp")
int xdp_add(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;
	__u32 runs = 0, bytes = 1, program_key = 0;
	__u64 *v;

	v = bpf_map_lookup_elem(&shared, &runs);
	if (v)
		__sync_fetch_and_add(v, 1);
	v = bpf_map_lookup_elem(&shared, &bytes);
	if (v)
		__sync_fetch_and_add(v, len);
	v = bpf_map_lookup_elem(&per_cpu, &runs);
	if (v)
		*v += 1;
	v = bpf_map_lookup_elem(&mixed, &program_key);
	if (v)
		__sync_fetch_and_add(v, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
