// SPDX-License-Identifier: GPL-2.0
/* Test object: a BPF LSM program on the file_open hook (bpf_lsm_file_open), which runs from a BPF
 * trampoline like fentry. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 opens;

SEC("lsm/file_open")
int on_file_open(__u64 *ctx)
{
	opens++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
