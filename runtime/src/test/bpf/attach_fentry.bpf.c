// SPDX-License-Identifier: GPL-2.0
/* A trampoline program (fentry) and a kprobe named by its section: what this VM's kernel cannot
 * attach (no traceable functions in ftrace, no CONFIG_KPROBES), for the error-message tests. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("fentry/do_sys_openat2")
int fentry_openat(void *ctx)
{
	return 0;
}

SEC("kprobe/do_sys_openat2")
int kprobe_openat(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
