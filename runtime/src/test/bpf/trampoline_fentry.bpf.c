// SPDX-License-Identifier: GPL-2.0
/* Test object: an fentry program on do_unlinkat. Its target resolves from vmlinux BTF, but the
 * kernel builds a BPF trampoline on the function's ftrace entry to load it, which a kernel whose
 * ftrace lists no traceable functions refuses (EPERM, no verifier log). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 unlinks;

SEC("fentry/do_unlinkat")
int on_unlinkat(__u64 *ctx)
{
	unlinks++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
