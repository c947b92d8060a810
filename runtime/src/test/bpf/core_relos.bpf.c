// SPDX-License-Identifier: GPL-2.0
/* Test object: CO-RE relocations of every kind common tools use, against the running kernel's
 * BTF. One test run of the XDP program stores the relocated values in .bss; the test compares
 * them with `bpftool btf dump file /sys/kernel/btf/vmlinux`. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* Only the fields read, in an order and at offsets unlike the kernel's. */
struct task_struct {
	int bpfmaps_no_such_field;
	int pid;
} __attribute__((preserve_access_index));

struct bpfmaps_no_such_type {
	int x;
};

/* A flavour (___suffix) of the kernel's enum with one value it lacks. */
enum bpf_map_type___bpfmaps {
	BPF_MAP_TYPE_RINGBUF___bpfmaps = 1,
	BPF_MAP_TYPE_BPFMAPS_NONE___bpfmaps = 2,
};

__u64 pid_offset;
__u64 pid_exists;
__u64 missing_field_exists;
__u64 task_exists;
__u64 missing_type_exists;
__u64 task_size;
__u64 task_kernel_id;
__u64 ringbuf_value;
__u64 ringbuf_exists;
__u64 missing_enumerator_exists;

SEC("xdp")
int read_core(struct xdp_md *ctx)
{
	struct task_struct *t = 0;

	pid_offset = bpf_core_field_offset(t->pid);
	pid_exists = bpf_core_field_exists(t->pid);
	missing_field_exists = bpf_core_field_exists(t->bpfmaps_no_such_field);
	task_exists = bpf_core_type_exists(struct task_struct);
	missing_type_exists = bpf_core_type_exists(struct bpfmaps_no_such_type);
	task_size = bpf_core_type_size(struct task_struct);
	task_kernel_id = bpf_core_type_id_kernel(struct task_struct);
	ringbuf_value = bpf_core_enum_value(enum bpf_map_type___bpfmaps, BPF_MAP_TYPE_RINGBUF___bpfmaps);
	ringbuf_exists = bpf_core_enum_value_exists(enum bpf_map_type___bpfmaps, BPF_MAP_TYPE_RINGBUF___bpfmaps);
	missing_enumerator_exists = bpf_core_enum_value_exists(enum bpf_map_type___bpfmaps,
							       BPF_MAP_TYPE_BPFMAPS_NONE___bpfmaps);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
