// SPDX-License-Identifier: GPL-2.0
/* Reports every packet as a record in a ring buffer and pushes its length onto a queue. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct event {
	__u64 seq;
	__u32 len;
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__type(value, __u32);
	__uint(max_entries, 128);
} lengths SEC(".maps");

__u64 seq;

SEC("xdp")
int xdp_events(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	struct event *e;

	bpf_map_push_elem(&lengths, &len, BPF_EXIST);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return XDP_PASS;
	e->seq = __sync_fetch_and_add(&seq, 1);
	e->len = len;
	e->ifindex = ctx->ingress_ifindex;
	bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
