// SPDX-License-Identifier: GPL-2.0
/* Test object: a typed __ksym, the per-CPU variable bpf_prog_active, found by its BTF id in
 * vmlinux. The verifier then needs the variable's address from kallsyms, which a kernel built
 * without CONFIG_KALLSYMS_ALL does not list (libbpf's load fails there too). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern const int bpf_prog_active __ksym;

__u64 prog_active_seen;

SEC("xdp")
int read_prog_active(struct xdp_md *ctx)
{
	const int *active = bpf_this_cpu_ptr(&bpf_prog_active);

	prog_active_seen = 1 + *active;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
