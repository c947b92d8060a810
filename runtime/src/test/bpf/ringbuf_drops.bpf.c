// SPDX-License-Identifier: GPL-2.0
/* Reserves a 64-byte record in a 4 KiB ring on every run, through the bpfmaps drop-counting macro. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "../../main/resources/bpfmaps/ringbuf_drops.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} small SEC(".maps");
BPFMAPS_RINGBUF_DROPS(small);

SEC("xdp")
int fill(struct xdp_md *ctx)
{
	__u64 *e = BPFMAPS_RINGBUF_RESERVE(small, 64, 0);

	if (!e)
		return XDP_PASS;
	*e = 7;
	bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
