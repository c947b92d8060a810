// SPDX-License-Identifier: GPL-2.0
/* Test object: a value type that exercises most BTF kinds (bitfields, unions, enums, floats,
 * forward declarations, restrict, type and declaration tags, function prototypes), and a
 * program calling a global function and a static one, taking a callback's address, and a
 * kprobe with CO-RE relocations. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct opaque;

enum color { RED, GREEN = 5, BLUE = -1 };

typedef const volatile unsigned short cv_u16;

struct tagged {
	int value __attribute__((btf_decl_tag("counter")));
} __attribute__((btf_decl_tag("record")));

struct kinds {
	unsigned int low : 3;
	signed int mid : 7;
	unsigned int high : 22;
	union {
		__u64 as_u64;
		char bytes[8];
	} u;
	enum color color;
	float ratio;
	double precise;
	struct opaque *fwd;
	int *__restrict restricted;
	int __attribute__((btf_type_tag("user"))) *user_ptr;
	cv_u16 counts[2][3];
	int (*callback)(int, long);
	struct tagged tagged;
	_Bool flag;
	signed char sc;
	long long s64;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, enum color);
	__type(value, struct kinds);
	__uint(max_entries, 4);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} kinds_map SEC(".maps");

static int callback(__u32 index, void *ctx)
{
	return 0;
}

__attribute__((noinline)) int global_add(int a, int b)
{
	return a + b;
}

static __attribute__((noinline)) int static_twice(int a)
{
	return global_add(a, a);
}

SEC("socket")
int use_kinds(struct __sk_buff *skb)
{
	enum color key = GREEN;
	struct kinds *k = bpf_map_lookup_elem(&kinds_map, &key);

	bpf_loop(4, callback, 0, 0);
	if (!k)
		return 0;
	return static_twice(k->mid) + global_add(k->high, 1);
}

/* A local view of a kernel type: CO-RE relocations let the loader match it to the kernel's. */
struct sk_buff___local {
	unsigned int len;
	unsigned int data_len;
} __attribute__((preserve_access_index));

SEC("kprobe/kfree_skb")
int core_read(struct sk_buff___local *skb)
{
	unsigned int len = 0;

	bpf_probe_read_kernel(&len, sizeof(len), &skb->data_len);
	return len + bpf_core_field_exists(skb->len);
}

char LICENSE[] SEC("license") = "GPL";
