/*
 * perf_poll and ringbuf_poll: how fast libbpf's own readers, perf_buffer__poll() and
 * ring_buffer__poll(), deliver events that a BPF program emitted, so the Java readers
 * (BpfPerfEventArray.poll, BpfRingBuf.poll) have a baseline from the library most tools use.
 *
 * One hand-assembled XDP program per channel writes one 16-byte record {42, 42} per run:
 * bpf_perf_event_output(ctx, &map, BPF_F_CURRENT_CPU, buf, 16) or bpf_ringbuf_output(&ring,
 * buf, 16, 0). BPF_PROG_TEST_RUN with repeat = K fills the ring untimed (the process is pinned
 * to one CPU, so a perf array's samples all land in that CPU's ring), then one poll with a zero
 * timeout that drains the K records is timed; the callback sums the first u64 as a content check.
 *
 * perf_loss and ringbuf_loss: the highest event rate the same readers keep up with, losing nothing
 * (below). Not timed per operation; `bench.sh --loss` runs them next to the Java reader
 * (io.github.bpfmaps.bench.LossRate, the same program, ring and pacing).
 *
 * Sources: include/uapi/linux/bpf.h (helpers, BPF_F_CURRENT_CPU), tools/lib/bpf/libbpf.h
 * (perf_buffer__new, ring_buffer__new and their poll functions).
 */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define RECORD_SIZE 16u
/* perf: 8-byte perf_event_header + u32 size + 16 bytes padded to 20 = 32 bytes a sample. */
#define PERF_FOOTPRINT 32u
/* ring buffer: 8-byte header + 16 bytes. */
#define RING_FOOTPRINT 24u
/* perf ring per CPU, in pages: 4 MiB with 4 KiB pages (the Java side uses the same). */
#define PERF_PAGES 1024u
/* wakeup_events for perf_poll: more than a round's samples, so the fill wakes no one. */
#define PERF_NO_WAKEUP (1u << 30)

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off,
			      .imm = imm };
	return i;
}

/*
 *   r6 = r1; r1 = 42; *(u64 *)(r10 - 16) = r1; *(u64 *)(r10 - 8) = r1
 *   perf: r1 = r6; r2 = map; w3 = BPF_F_CURRENT_CPU; r4 = r10 - 16; r5 = 16; call perf_event_output
 *   ring: r1 = map; r2 = r10 - 16; r3 = 16; r4 = 0; call ringbuf_output
 *   r0 = XDP_PASS; exit
 */
static int load_producer(int map_fd, int perf, const char *op)
{
	struct bpf_insn p[20];
	int n = 0, fd;
	static char log[65536];
	LIBBPF_OPTS(bpf_prog_load_opts, opts);

	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 42);
	p[n++] = insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_1, -16, 0);
	p[n++] = insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_1, -8, 0);
	if (perf) {
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
		p[n++] = insn(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0, map_fd);
		p[n++] = insn(0, 0, 0, 0, 0);
		/* 32-bit move: 0xffffffff zero-extended (the upper half of flags is a packet length) */
		p[n++] = insn(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, -1);
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_4, BPF_REG_10, 0, 0);
		p[n++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_4, 0, 0, -16);
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_5, 0, 0, RECORD_SIZE);
		p[n++] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_perf_event_output);
	} else {
		p[n++] = insn(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd);
		p[n++] = insn(0, 0, 0, 0, 0);
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
		p[n++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -16);
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, RECORD_SIZE);
		/* flags 0: a wakeup, since ring_buffer__poll waits in epoll (untimed fill anyway) */
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
		p[n++] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_output);
	}
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 2);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	opts.log_buf = log;
	opts.log_size = sizeof(log);
	opts.log_level = 0;
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, perf ? "bench_perf_out" : "bench_rb_poll", "GPL", p,
			   (size_t)n, &opts);
	if (fd < 0) {
		opts.log_level = 1;
		fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "bench_out", "GPL", p, (size_t)n, &opts);
		fprintf(stderr, "%s\n", log);
		errno = -fd;
		die("BPF_PROG_LOAD", op);
	}
	return fd;
}

static void produce(int prog_fd, uint32_t repeat, const char *op)
{
	unsigned char pkt[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = sizeof(pkt),
		    .repeat = (int)repeat);

	if (bpf_prog_test_run_opts(prog_fd, &t))
		die("BPF_PROG_TEST_RUN", op);
}

struct tally {
	uint64_t seen, sum;
};

static void on_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct tally *t = ctx;

	(void)cpu;
	(void)size;
	t->sum += *(const uint64_t *)data;
	t->seen++;
}

static void on_perf_lost(void *ctx, int cpu, __u64 lost)
{
	(void)ctx;
	fprintf(stderr, "mapbench: perf_poll: %llu samples lost on CPU %d\n", (unsigned long long)lost, cpu);
	exit(1);
}

static int on_ring_record(void *ctx, void *data, size_t size)
{
	struct tally *t = ctx;

	(void)size;
	t->sum += *(const uint64_t *)data;
	t->seen++;
	return 0;
}

static void pin_to_first_cpu(const char *op)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity", op);
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &set)) {
			CPU_ZERO(&set);
			CPU_SET(c, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				die("sched_setaffinity", op);
			return;
		}
	}
}

static void check(const char *op, const struct tally *t, uint32_t want)
{
	if (t->seen != want || t->sum != 42ull * want) {
		fprintf(stderr, "mapbench: %s: delivered %llu records (sum %llu), produced %u of 42\n", op,
			(unsigned long long)t->seen, (unsigned long long)t->sum, want);
		exit(1);
	}
}

/* A PERF_RECORD_SAMPLE of PERF_SAMPLE_RAW: the header, the raw size, the raw bytes. */
struct raw_sample {
	struct perf_event_header header;
	__u32 size;
	char data[];
};

/*
 * A reader made with perf_buffer__new_raw (to choose wakeup_events) that delivers samples as
 * perf_buffer__new's does: libbpf's perf_buffer__process_record checks the record type and calls
 * the sample callback through a pointer, and so does this one.
 */
struct raw_reader {
	void (*sample)(void *ctx, int cpu, void *data, __u32 size);
	void *ctx;
	uint64_t lost;
};

static enum bpf_perf_event_ret on_perf_raw(void *ctx, int cpu, struct perf_event_header *e)
{
	struct raw_reader *r = ctx;

	if (e->type == PERF_RECORD_SAMPLE) {
		struct raw_sample *s = (struct raw_sample *)e;

		r->sample(r->ctx, cpu, s->data, s->size);
	} else if (e->type == PERF_RECORD_LOST) {
		r->lost += ((const __u64 *)(e + 1))[1]; /* after the header: u64 id, u64 lost */
	}
	return LIBBPF_PERF_EVENT_CONT;
}

/* libbpf's perf event (a ring on every CPU, PERF_SAMPLE_RAW), waking the reader every `wakeup` samples. */
static struct perf_buffer *perf_reader(int map_fd, size_t pages, uint32_t wakeup, struct raw_reader *r)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
					.config = PERF_COUNT_SW_BPF_OUTPUT, .sample_type = PERF_SAMPLE_RAW,
					.sample_period = 1, .wakeup_events = wakeup };

	return perf_buffer__new_raw(map_fd, pages, &attr, on_perf_raw, r, NULL);
}

void bench_perf_poll(const struct cfg *cfg)
{
	const char *op = "perf_poll";
	long page = sysconf(_SC_PAGESIZE);
	uint32_t per_round = (uint32_t)((uint64_t)page * PERF_PAGES / PERF_FOOTPRINT * 9 / 10);
	int rounds = cfg->rounds > 64 ? 64 : cfg->rounds;
	double ns[64];
	struct tally t;
	struct raw_reader rr = { 0 };
	struct perf_buffer *pb;
	int map_fd, prog_fd, ncpu = libbpf_num_possible_cpus();

	pin_to_first_cpu(op);
	map_fd = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "bench_perf", 4, 4, (uint32_t)ncpu, NULL);
	if (map_fd < 0)
		die("BPF_MAP_CREATE", op);
	prog_fd = load_producer(map_fd, 1, op);
	/*
	 * No wakeup during the untimed fill (the Java side sets the same): with libbpf's default of a
	 * wakeup per sample, every sample of the fill raised an irq_work (a trapping MSR write in this
	 * VM), a fill took about 0.6 s, and JMH timed only a handful of drains per run.
	 */
	rr.sample = on_perf_sample;
	rr.ctx = &t;
	pb = perf_reader(map_fd, PERF_PAGES, PERF_NO_WAKEUP, &rr);
	if (!pb)
		die("perf_buffer__new_raw", op);
	memset(&t, 0, sizeof(t));
	produce(prog_fd, per_round, op); /* warm-up */
	perf_buffer__poll(pb, 0);
	for (int i = 0; i < rounds; i++) {
		uint64_t t0;

		produce(prog_fd, per_round, op);
		memset(&t, 0, sizeof(t));
		t0 = now_ns();
		if (perf_buffer__poll(pb, 0) < 0)
			die("perf_buffer__poll", op);
		ns[i] = (double)(now_ns() - t0) / per_round;
		check(op, &t, per_round);
		if (rr.lost)
			on_perf_lost(NULL, 0, rr.lost);
	}
	report(op, ns, rounds, per_round);
	perf_buffer__free(pb);
	close(prog_fd);
	close(map_fd);
}

void bench_ringbuf_poll(const struct cfg *cfg)
{
	const char *op = "ringbuf_poll";
	uint64_t size = cfg->ringbuf_bytes;
	uint32_t per_round = (uint32_t)(size / RING_FOOTPRINT * 9 / 10);
	int rounds = cfg->rounds > 64 ? 64 : cfg->rounds;
	double ns[64];
	struct tally t;
	struct ring_buffer *rb;
	int ring_fd, prog_fd;

	pin_to_first_cpu(op);
	ring_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "bench_rb_poll", 0, 0, (uint32_t)size, NULL);
	if (ring_fd < 0)
		die("BPF_MAP_CREATE", op);
	prog_fd = load_producer(ring_fd, 0, op);
	rb = ring_buffer__new(ring_fd, on_ring_record, &t, NULL);
	if (!rb)
		die("ring_buffer__new", op);
	memset(&t, 0, sizeof(t));
	produce(prog_fd, per_round, op);
	ring_buffer__poll(rb, 0);
	for (int i = 0; i < rounds; i++) {
		uint64_t t0;

		produce(prog_fd, per_round, op);
		memset(&t, 0, sizeof(t));
		t0 = now_ns();
		if (ring_buffer__poll(rb, 0) < 0)
			die("ring_buffer__poll", op);
		ns[i] = (double)(now_ns() - t0) / per_round;
		check(op, &t, per_round);
	}
	report(op, ns, rounds, per_round);
	ring_buffer__free(rb);
	close(prog_fd);
	close(ring_fd);
}

/*
 * perf_loss, ringbuf_loss: the highest rate at which libbpf's reader loses no event. A reader
 * thread on the second online CPU polls in a loop (perf_buffer__poll / ring_buffer__poll, 10 ms
 * timeout: it sleeps in epoll_wait when the ring is empty, as a real tool does); the main thread
 * on the first online CPU is the producer: every BENCH_LOSS_BATCH events it runs the program with
 * that repeat count, paced by a spin on the clock to the target rate. Each rate of
 * BENCH_LOSS_RATES runs BENCH_LOSS_MS (after an unreported warm-up of BENCH_LOSS_WARMUP_MS at the
 * first rate), then the reader gets 200 ms to drain; lost = produced -
 * delivered (exact: every run emits one event, which lands in the ring or is dropped). The ring is
 * BENCH_LOSS_PAGES pages per CPU (perf, wakeup after every sample as libbpf sets it, or after
 * BENCH_LOSS_WAKEUP samples through perf_buffer__new_raw) or as many bytes (ring buffer, the
 * kernel's own wakeup rule: when the reader had caught up). One line per rate:
 *   loss op=<op> rate=<target/s> achieved=<events/s> produced=<n> delivered=<n> lost=<n>
 * then `op=<op> max_lossless=<achieved rate of the highest step before the first loss>
 * first_lossy=<its target, or 0>`. The ladder stops early when the producer falls below 90% of a
 * target (the producer's limit, not the reader's).
 */
struct loss_reader {
	struct perf_buffer *pb;
	struct ring_buffer *rb;
	int cpu;
	int stop;          /* set by main, read by the reader (atomics) */
	uint64_t seen;     /* written by the reader (relaxed stores), read by main */
	uint64_t sum;
};

static void on_loss_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct loss_reader *r = ctx;

	(void)cpu;
	(void)size;
	r->sum += *(const uint64_t *)data;
	__atomic_store_n(&r->seen, r->seen + 1, __ATOMIC_RELAXED);
}

static void on_loss_lost(void *ctx, int cpu, __u64 lost)
{
	(void)ctx;
	(void)cpu;
	(void)lost; /* counted as produced - delivered */
}

static int on_loss_record(void *ctx, void *data, size_t size)
{
	on_loss_sample(ctx, 0, data, (__u32)size);
	return 0;
}

static void pin_self(int cpu, const char *op)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity", op);
}

static void *loss_reader_main(void *arg)
{
	struct loss_reader *r = arg;

	pin_self(r->cpu, "loss reader");
	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		int n = r->pb ? perf_buffer__poll(r->pb, 10) : ring_buffer__poll(r->rb, 10);

		if (n < 0 && n != -EINTR)
			die(r->pb ? "perf_buffer__poll" : "ring_buffer__poll", "loss reader");
	}
	return NULL;
}

/* The first two CPUs this process may run on: producer, reader. */
static int two_cpus(int *producer, int *reader)
{
	cpu_set_t set;
	int n = 0;

	/* Earlier groups pinned this thread: ask for every CPU again, the kernel keeps the allowed ones. */
	memset(&set, 0xff, sizeof(set));
	sched_setaffinity(0, sizeof(set), &set);
	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++) {
		if (CPU_ISSET(c, &set)) {
			if (n++ == 0)
				*producer = c;
			else
				*reader = c;
		}
	}
	return n == 2;
}

static void spin_until(uint64_t t)
{
	while (now_ns() < t)
		;
}

/* Test runs of `batch` events, each started at its due time for `rate`, for `ms`; returns the count. */
static uint64_t paced(const char *op, int prog_fd, uint32_t batch, uint64_t rate, uint64_t ms)
{
	uint64_t produced = 0, t0 = now_ns(), deadline = t0 + ms * 1000000u;

	if (rate == 0)
		return 0;
	for (uint64_t k = 0;; k++) {
		uint64_t due = t0 + (uint64_t)((double)k * batch * 1e9 / (double)rate);

		if (due >= deadline)
			return produced;
		spin_until(due);
		produce(prog_fd, batch, op);
		produced += batch;
	}
}

static void loss_ladder(const char *op, int prog_fd, struct loss_reader *r, uint64_t wakeup)
{
	const char *rates = getenv("BENCH_LOSS_RATES");
	const char *e;
	uint64_t ms = (e = getenv("BENCH_LOSS_MS")) ? strtoull(e, NULL, 10) : 1000;
	uint64_t warmup_ms = (e = getenv("BENCH_LOSS_WARMUP_MS")) ? strtoull(e, NULL, 10) : 2000;
	uint32_t batch = (e = getenv("BENCH_LOSS_BATCH")) ? (uint32_t)strtoul(e, NULL, 10) : 256;
	char buf[512];
	double max_lossless = 0;
	uint64_t first_lossy = 0;

	snprintf(buf, sizeof(buf), "%s", rates ? rates : "50000 100000 200000 400000 800000 1600000 3200000");
	/* unreported warm-up at the first rate (the Java side compiles its reader meanwhile) */
	paced(op, prog_fd, batch, strtoull(buf, NULL, 10), warmup_ms);
	usleep(200000);
	for (char *save = NULL, *tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		uint64_t rate = strtoull(tok, NULL, 10), produced, s0, t0, t_end;
		double achieved;
		uint64_t delivered, lost;

		if (rate == 0)
			continue;
		s0 = __atomic_load_n(&r->seen, __ATOMIC_RELAXED);
		t0 = now_ns();
		produced = paced(op, prog_fd, batch, rate, ms);
		t_end = now_ns();
		usleep(200000);
		delivered = __atomic_load_n(&r->seen, __ATOMIC_RELAXED) - s0;
		lost = produced - delivered;
		achieved = (double)produced * 1e9 / (double)(t_end - t0);
		printf("loss op=%s rate=%llu achieved=%.0f produced=%llu delivered=%llu lost=%llu\n", op,
		       (unsigned long long)rate, achieved, (unsigned long long)produced,
		       (unsigned long long)delivered, (unsigned long long)lost);
		fflush(stdout);
		if (lost && !first_lossy)
			first_lossy = rate;
		if (!lost && !first_lossy && achieved > max_lossless)
			max_lossless = achieved;
		if (achieved < 0.9 * (double)rate)
			break; /* the producer's limit: higher targets cannot be reached */
	}
	printf("op=%s max_lossless=%.0f first_lossy=%llu batch=%u ms=%llu wakeup=%llu\n", op, max_lossless,
	       (unsigned long long)first_lossy, batch, (unsigned long long)ms, (unsigned long long)wakeup);
}

static void bench_loss(int perf, const char *op)
{
	const char *e;
	uint64_t pages = (e = getenv("BENCH_LOSS_PAGES")) ? strtoull(e, NULL, 10) : 8;
	uint64_t wakeup = (e = getenv("BENCH_LOSS_WAKEUP")) ? strtoull(e, NULL, 10) : 1;
	long page = sysconf(_SC_PAGESIZE);
	struct loss_reader r = { 0 };
	struct raw_reader raw = { 0 };
	pthread_t th;
	int map_fd, prog_fd, producer_cpu, reader_cpu;

	if (!two_cpus(&producer_cpu, &reader_cpu)) {
		printf("op=%s skipped: needs two CPUs (producer and reader)\n", op);
		return;
	}
	pin_self(producer_cpu, op);
	if (perf) {
		map_fd = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "bench_perf_loss", 4, 4,
					(uint32_t)libbpf_num_possible_cpus(), NULL);
	} else {
		map_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "bench_rb_loss", 0, 0, (uint32_t)(pages * page),
					NULL);
	}
	if (map_fd < 0)
		die("BPF_MAP_CREATE", op);
	prog_fd = load_producer(map_fd, perf, op);
	if (perf && wakeup == 1) {
		r.pb = perf_buffer__new(map_fd, pages, on_loss_sample, on_loss_lost, &r, NULL);
	} else if (perf) {
		/* perf_buffer__new's event with wakeup_events = BENCH_LOSS_WAKEUP instead of 1 */
		raw.sample = on_loss_sample;
		raw.ctx = &r;
		r.pb = perf_reader(map_fd, pages, (uint32_t)wakeup, &raw);
	}
	else
		r.rb = ring_buffer__new(map_fd, on_loss_record, &r, NULL);
	if (!r.pb && !r.rb)
		die(perf ? "perf_buffer__new" : "ring_buffer__new", op);
	r.cpu = reader_cpu;
	if (pthread_create(&th, NULL, loss_reader_main, &r))
		die("pthread_create", op);
	loss_ladder(op, prog_fd, &r, perf ? wakeup : 0);
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	if (r.sum != 42ull * r.seen) {
		fprintf(stderr, "mapbench: %s: %llu events summed to %llu, not 42 each\n", op,
			(unsigned long long)r.seen, (unsigned long long)r.sum);
		exit(1);
	}
	if (perf)
		perf_buffer__free(r.pb);
	else
		ring_buffer__free(r.rb);
	close(prog_fd);
	close(map_fd);
}

void bench_perf_loss(const struct cfg *cfg)
{
	(void)cfg;
	bench_loss(1, "perf_loss");
}

void bench_ringbuf_loss(const struct cfg *cfg)
{
	(void)cfg;
	bench_loss(0, "ringbuf_loss");
}
