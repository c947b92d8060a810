/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfmaps: make a ring buffer's lost records visible.
 *
 * bpf_ringbuf_reserve() returns NULL and bpf_ringbuf_output() an error when the ring is full; the
 * kernel counts neither. Declare a drop counter next to the ring and reserve through these macros,
 * and Java reads the count from the ring bound from its object, EventsMap.bind(obj).dropped():
 *
 *   struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 64 * 1024); } events SEC(".maps");
 *   BPFMAPS_RINGBUF_DROPS(events);
 *   ...
 *   struct event *e = BPFMAPS_RINGBUF_RESERVE(events, sizeof(*e), 0);
 *   if (!e)
 *           return 0;   // counted in events_drops
 *
 * The counter is a one-entry PERCPU_ARRAY named <ring>_drops (so a ring name of at most 9
 * characters keeps the map name within BPF_OBJ_NAME_LEN), incremented without atomics on the
 * CPU that failed; Java sums the CPUs. Needs <bpf/bpf_helpers.h> first.
 */
#ifndef BPFMAPS_RINGBUF_DROPS_H
#define BPFMAPS_RINGBUF_DROPS_H

#define BPFMAPS_RINGBUF_DROPS(ring)                                                              \
	struct {                                                                                 \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                         \
		__uint(max_entries, 1);                                                          \
		__type(key, __u32);                                                              \
		__type(value, __u64);                                                            \
	} ring##_drops SEC(".maps")

/* Adds one to <ring>_drops on this CPU. */
#define BPFMAPS_RINGBUF_COUNT_DROP(ring)                                                         \
	({                                                                                       \
		__u32 __bpfmaps_zero = 0;                                                        \
		__u64 *__bpfmaps_d = bpf_map_lookup_elem(&ring##_drops, &__bpfmaps_zero);        \
		if (__bpfmaps_d)                                                                 \
			(*__bpfmaps_d)++;                                                        \
	})

/* bpf_ringbuf_reserve(&ring, size, flags), counting a NULL result as a drop. */
#define BPFMAPS_RINGBUF_RESERVE(ring, size, flags)                                               \
	({                                                                                       \
		void *__bpfmaps_r = bpf_ringbuf_reserve(&ring, size, flags);                     \
		if (!__bpfmaps_r)                                                                \
			BPFMAPS_RINGBUF_COUNT_DROP(ring);                                        \
		__bpfmaps_r;                                                                     \
	})

/* bpf_ringbuf_output(&ring, data, size, flags), counting a failure as a drop. */
#define BPFMAPS_RINGBUF_OUTPUT(ring, data, size, flags)                                          \
	({                                                                                       \
		long __bpfmaps_e = bpf_ringbuf_output(&ring, data, size, flags);                 \
		if (__bpfmaps_e)                                                                 \
			BPFMAPS_RINGBUF_COUNT_DROP(ring);                                        \
		__bpfmaps_e;                                                                     \
	})

#endif
