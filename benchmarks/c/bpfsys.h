/*
 * Thin wrappers over the raw bpf(2) system call: the physical limit the Java handles are
 * measured against. No libbpf on purpose, so nothing sits between the benchmark and the
 * kernel but one syscall per call.
 *
 * ABI source: include/uapi/linux/bpf.h (installed as /usr/include/linux/bpf.h).
 * Rule that bites: every byte of union bpf_attr beyond the fields a command uses must be
 * zero (the kernel rejects non-zero tails with E2BIG/EINVAL), so each wrapper zeroes the
 * whole union and passes its size.
 */
#ifndef BPFMAPS_BENCH_BPFSYS_H
#define BPFMAPS_BENCH_BPFSYS_H

#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline uint64_t ptr_to_u64(const void *p) { return (uint64_t)(uintptr_t)p; }

static inline long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static inline int bpf_map_create(uint32_t type, const char *name, uint32_t key_size,
				 uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = key_size;
	a.value_size = value_size;
	a.max_entries = max_entries;
	a.map_flags = flags;
	/* map_name: BPF_OBJ_NAME_LEN including the NUL, [A-Za-z0-9_.] only. */
	strncpy(a.map_name, name, sizeof(a.map_name) - 1);
	return (int)sys_bpf(BPF_MAP_CREATE, &a);
}

static inline int bpf_lookup(int fd, const void *key, void *value)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr_to_u64(key);
	a.value = ptr_to_u64(value);
	return (int)sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
}

static inline int bpf_update(int fd, const void *key, const void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr_to_u64(key);
	a.value = ptr_to_u64(value);
	a.flags = flags;
	return (int)sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
}

static inline int bpf_delete(int fd, const void *key)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr_to_u64(key);
	return (int)sys_bpf(BPF_MAP_DELETE_ELEM, &a);
}

/* key == NULL asks for the first key (BPF_MAP_GET_NEXT_KEY in bpf.h). */
static inline int bpf_next_key(int fd, const void *key, void *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = ptr_to_u64(key);
	a.next_key = ptr_to_u64(next);
	return (int)sys_bpf(BPF_MAP_GET_NEXT_KEY, &a);
}

/*
 * BPF_MAP_LOOKUP_BATCH / BPF_MAP_UPDATE_BATCH: *count is in/out. For hash maps the
 * in_batch/out_batch token is the kernel's bucket index (a u32), for arrays it is a key;
 * callers pass buffers of at least max(key_size, 8) bytes.
 */
static inline int bpf_batch(int cmd, int fd, void *in_batch, void *out_batch, void *keys,
			    void *values, uint32_t *count, uint64_t elem_flags)
{
	union bpf_attr a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.batch.map_fd = fd;
	a.batch.in_batch = ptr_to_u64(in_batch);
	a.batch.out_batch = ptr_to_u64(out_batch);
	a.batch.keys = ptr_to_u64(keys);
	a.batch.values = ptr_to_u64(values);
	a.batch.count = *count;
	a.batch.elem_flags = elem_flags;
	rc = (int)sys_bpf(cmd, &a);
	/* The kernel writes back how many elements it handled, also on ENOENT (last chunk). */
	*count = a.batch.count;
	return rc;
}

static inline int bpf_pin(int fd, const char *path)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.bpf_fd = fd;
	a.pathname = ptr_to_u64(path);
	return (int)sys_bpf(BPF_OBJ_PIN, &a);
}

static inline int bpf_map_id(int fd, uint32_t *id)
{
	struct bpf_map_info info;
	union bpf_attr a;
	int rc;

	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = ptr_to_u64(&info);
	rc = (int)sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a);
	if (rc == 0)
		*id = info.id;
	return rc;
}

#endif
