// SPDX-License-Identifier: GPL-2.0
/* Test object: externs resolved against the running kernel at load, as libbpf resolves them.
 * One test run of the XDP program copies what it sees into .bss, which the test compares with
 * /proc/config.gz, uname and /proc/kallsyms. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig;
extern char CONFIG_BPF __kconfig;
extern int CONFIG_HZ __kconfig;
extern unsigned long long CONFIG_NR_CPUS __kconfig;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig;
extern _Bool CONFIG_BPFMAPS_NOT_AN_OPTION __kconfig __weak;

/* typeless: an address from /proc/kallsyms */
extern const void do_unlinkat __ksym;
extern const void bpfmaps_no_such_symbol __ksym __weak;
/* kfuncs: one the kernel has, one it lacks */
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bpfmaps_no_such_kfunc(void) __ksym __weak;

__u64 kernel_version;
__u64 bpf_syscall;
__u64 bpf_jit;
__u64 bpf_char;
__u64 hz;
__u64 nr_cpus;
__u64 not_an_option;
__u64 unlinkat_address;
__u64 missing_symbol_address;
__u64 missing_kfunc_exists;
char hostname[16];

SEC("xdp")
int read_externs(struct xdp_md *ctx)
{
	kernel_version = LINUX_KERNEL_VERSION;
	bpf_syscall = CONFIG_BPF_SYSCALL;
	bpf_jit = CONFIG_BPF_JIT;
	bpf_char = CONFIG_BPF;
	hz = CONFIG_HZ;
	nr_cpus = CONFIG_NR_CPUS;
	not_an_option = CONFIG_BPFMAPS_NOT_AN_OPTION;
	for (int i = 0; i < 16; i++)
		hostname[i] = CONFIG_DEFAULT_HOSTNAME[i];
	unlinkat_address = (__u64)&do_unlinkat;
	missing_symbol_address = (__u64)&bpfmaps_no_such_symbol;

	missing_kfunc_exists = bpfmaps_no_such_kfunc != 0;
	if (bpfmaps_no_such_kfunc)
		bpfmaps_no_such_kfunc();
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
