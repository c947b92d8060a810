/* Shared pieces of the C baseline: configuration, timing, the round runner. */
#ifndef BPFMAPS_BENCH_BENCH_H
#define BPFMAPS_BENCH_BENCH_H

#include <stdint.h>

/* Every count is overridable from the environment; defaults are in mapbench.c and README.md. */
struct cfg {
	uint64_t ops;           /* BENCH_OPS: timed single-element syscalls per round */
	uint64_t warmup;        /* BENCH_WARMUP: untimed operations before the rounds */
	int rounds;             /* BENCH_ROUNDS: rounds for the small operations */
	uint64_t mmap_ops;      /* BENCH_MMAP_OPS: memory reads/writes per round */
	uint32_t big_entries;   /* BENCH_BIG_ENTRIES: size of the "_1m" hash */
	int big_rounds;         /* BENCH_BIG_ROUNDS: rounds for the "_1m" operations */
	uint32_t batch;         /* BENCH_BATCH: starting batch size for LOOKUP_BATCH */
	uint64_t ringbuf_bytes; /* BENCH_RINGBUF_BYTES: ring size, power of two */
	const char *pin;        /* BENCH_PIN: where pin_1m pins the 1M hash for bpftool */
};

/* Runs n operations; the loop lives inside so no indirect call is timed per operation. */
typedef void (*op_fn)(void *ctx, uint64_t n);
/* Untimed work before each round (refill after deletes, fresh map for inserts). */
typedef void (*prep_fn)(void *ctx);

struct bench {
	const char *name;
	op_fn run;
	prep_fn prep;  /* may be NULL */
	void *ctx;
	uint64_t ops;  /* timed operations per round */
	uint64_t warmup;
	int rounds;
};

uint64_t now_ns(void);
void die(const char *what, const char *op);
/* Prints `op=<name> ns_per_op=<median> ops=<n> rounds=<r> min=<x> max=<y>`. */
void report(const char *name, double *ns_per_op, int rounds, uint64_t ops);
void run_bench(const struct bench *b);

extern volatile uint64_t sink;

void bench_ringbuf(const struct cfg *c);
/* eventbench.c: libbpf's perf_buffer__poll and ring_buffer__poll (links -lbpf). */
void bench_perf_poll(const struct cfg *c);
void bench_ringbuf_poll(const struct cfg *c);
/* eventbench.c: the highest event rate each libbpf reader keeps up with, losing nothing. */
void bench_perf_loss(const struct cfg *c);
void bench_ringbuf_loss(const struct cfg *c);

#endif
