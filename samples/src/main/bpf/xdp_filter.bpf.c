// SPDX-License-Identifier: GPL-2.0
/* An XDP filter: drops IPv4 packets whose source address is in `blocked`, counts packets and bytes
 * per verdict in `verdicts` (index: XDP_DROP 1, XDP_PASS 2). A tc program counts what reaches tcx
 * ingress after XDP, in `tcx_seen`. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct datarec {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct datarec);
	__uint(max_entries, 5);
} verdicts SEC(".maps");

struct source {
	__be32 addr; /* IPv4 source address, network order */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct source);
	__type(value, __u64); /* packets dropped */
	__uint(max_entries, 256);
} blocked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct datarec);
	__uint(max_entries, 1);
} tcx_seen SEC(".maps");

static __always_inline int verdict(__u32 action, __u64 len)
{
	struct datarec *rec = bpf_map_lookup_elem(&verdicts, &action);

	if (rec) {
		__sync_fetch_and_add(&rec->packets, 1);
		__sync_fetch_and_add(&rec->bytes, len);
	}
	return action;
}

SEC("xdp")
int xdp_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__u64 len = data_end - data;
	struct source src;
	__u64 *drops;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return verdict(XDP_PASS, len);
	src.addr = ip->saddr;
	drops = bpf_map_lookup_elem(&blocked, &src);
	if (drops) {
		__sync_fetch_and_add(drops, 1);
		return verdict(XDP_DROP, len);
	}
	return verdict(XDP_PASS, len);
}

SEC("tc")
int tcx_count(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct datarec *rec = bpf_map_lookup_elem(&tcx_seen, &zero);

	if (rec) {
		__sync_fetch_and_add(&rec->packets, 1);
		__sync_fetch_and_add(&rec->bytes, skb->len);
	}
	return -1; /* TCX_NEXT */
}

char LICENSE[] SEC("license") = "GPL";
