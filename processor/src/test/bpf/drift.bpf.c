// SPDX-License-Identifier: GPL-2.0
/* Maps for the processor's compile-time BTF check: ProcessorObjectCheckTest declares records that
 * match these and records that drift from them in one way each; StaleObjectTest loads it to bind. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct datarec {
	__u64 packets;
	__u64 bytes;
};

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
};

enum color { RED = 1, GREEN = 2, BLUE = 4 };

struct inner {
	__u32 a;
	__s32 b;
};

struct sample {
	__u32 pid;
	__s32 delta;
	char comm[16];
	__u16 ports[4];
	struct inner inner;
	enum color color;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct datarec);
	__uint(max_entries, 16);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow_key);
	__type(value, struct datarec);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct sample);
	__uint(max_entries, 128);
} samples SEC(".maps");

SEC("xdp")
int xdp_touch(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct datarec *r = bpf_map_lookup_elem(&stats, &k);
	struct sample *s = bpf_map_lookup_elem(&samples, &k);
	struct flow_key fk = {};
	struct datarec *f = bpf_map_lookup_elem(&flows, &fk);

	if (r)
		r->packets++;
	if (s)
		s->pid++;
	if (f)
		f->bytes++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
