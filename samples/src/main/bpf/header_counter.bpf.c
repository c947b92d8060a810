// SPDX-License-Identifier: GPL-2.0
/* Counts IPv4 TCP/UDP packets per protocol and destination port, and drops those to the discard
 * port 9. Its map and types are not declared here: they come from the header the bpfmaps processor
 * writes from the Java records in io.github.bpfmaps.samples.header (a committed copy sits next to
 * this file; HeaderSampleTest fails if it is stale). */
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include "io_github_bpfmaps_samples_header_maps.h"
#include <bpf/bpf_endian.h>

#define DISCARD_PORT 9

SEC("xdp")
int xdp_header_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct packet_key key = {};
	struct packet_stats *stats;
	enum verdict verdict = PASSED;
	__be16 *ports;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5)
		return XDP_PASS;
	if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	/* TCP and UDP both start with the source and destination ports. */
	ports = (void *)(ip + 1);
	if ((void *)(ports + 2) > data_end)
		return XDP_PASS;
	key.proto = ip->protocol;
	key.port = ports[1];
	if (key.port == bpf_htons(DISCARD_PORT))
		verdict = DROPPED;

	stats = bpf_map_lookup_elem(&packet_counts, &key);
	if (stats) {
		__sync_fetch_and_add(&stats->packets, 1);
		__sync_fetch_and_add(&stats->bytes, data_end - data);
		stats->last_verdict = verdict;
	} else {
		struct packet_stats fresh = { .packets = 1, .bytes = data_end - data, .last_verdict = verdict };

		bpf_map_update_elem(&packet_counts, &key, &fresh, BPF_NOEXIST);
	}
	return verdict == DROPPED ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
