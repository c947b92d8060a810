/*
 * C baseline for the bpfmaps benchmarks: the same map shapes and operation counts the JMH
 * side uses, issued as bare bpf(2) calls. Output, one line per operation:
 *
 *   op=<name> ns_per_op=<median over rounds> ops=<timed ops per round> rounds=<r> min=.. max=..
 *
 * Usage: mapbench [group...]   (no group: all; --list prints the groups)
 * Shapes and defaults are documented in benchmarks/README.md; keep the two in step.
 * ABI: include/uapi/linux/bpf.h (commands, BPF_F_MMAPABLE, batch semantics).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "bpfsys.h"

#define SMALL_HASH_ENTRIES 65536u
#define ARRAY_ENTRIES 1024u
#define VALUE_SIZE 16u /* two u64, every map here */

volatile uint64_t sink;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void die(const char *what, const char *op)
{
	fprintf(stderr, "mapbench: %s: %s failed: %s (errno %d)\n", op, what, strerror(errno),
		errno);
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void report(const char *name, double *ns, int rounds, uint64_t ops)
{
	double med;

	qsort(ns, (size_t)rounds, sizeof(*ns), cmp_double);
	med = rounds % 2 ? ns[rounds / 2] : (ns[rounds / 2 - 1] + ns[rounds / 2]) / 2;
	printf("op=%s ns_per_op=%.2f ops=%llu rounds=%d min=%.2f max=%.2f\n", name, med,
	       (unsigned long long)ops, rounds, ns[0], ns[rounds - 1]);
	fflush(stdout);
}

void run_bench(const struct bench *b)
{
	double ns[64];
	int rounds = b->rounds < 1 ? 1 : b->rounds > 64 ? 64 : b->rounds;

	if (b->warmup) {
		if (b->prep)
			b->prep(b->ctx);
		b->run(b->ctx, b->warmup);
	}
	for (int r = 0; r < rounds; r++) {
		uint64_t t0;

		if (b->prep)
			b->prep(b->ctx);
		t0 = now_ns();
		b->run(b->ctx, b->ops);
		ns[r] = (double)(now_ns() - t0) / (double)b->ops;
	}
	report(b->name, ns, rounds, b->ops);
}

/* An idle thread (BENCH_IDLE_THREADS): blocks for the whole run and never runs again. */
static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v == 0) {
		fprintf(stderr, "mapbench: %s=%s is not a positive integer\n", name, s);
		exit(2);
	}
	return v;
}

/* Number of *possible* CPUs: per-CPU values carry one slot for each (bpf.h, percpu maps). */
static int possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char buf[256], *p;
	int n = 0;

	if (!f || !fgets(buf, sizeof(buf), f))
		die("read /sys/devices/system/cpu/possible", "percpu_array_lookup");
	fclose(f);
	/* Format is a list of ranges: "0-1", "0,2-5". */
	for (p = strtok(buf, ",\n"); p; p = strtok(NULL, ",\n")) {
		int lo, hi;

		if (sscanf(p, "%d-%d", &lo, &hi) == 2)
			n += hi - lo + 1;
		else if (sscanf(p, "%d", &lo) == 1)
			n += 1;
	}
	return n;
}

/* Key k always holds {k, ~k}: the value every map in the suite is filled with. */
static void fill_kv(uint32_t *keys, uint64_t *vals, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		keys[k] = k;
		vals[2 * k] = k;
		vals[2 * k + 1] = ~(uint64_t)k;
	}
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		fprintf(stderr, "mapbench: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

/* Inserts keys 0..n-1 with one BPF_MAP_UPDATE_BATCH call. */
static void batch_fill(int fd, uint32_t n, uint32_t *keys, uint64_t *vals, const char *op)
{
	uint32_t count = n;

	if (bpf_batch(BPF_MAP_UPDATE_BATCH, fd, NULL, NULL, keys, vals, &count, BPF_ANY))
		die("BPF_MAP_UPDATE_BATCH", op);
	if (count != n) {
		fprintf(stderr, "mapbench: %s: UPDATE_BATCH wrote %u of %u\n", op, count, n);
		exit(1);
	}
}

/* ---- single-element syscalls: lookup / update / delete ---- */

struct keyed {
	const char *op;
	int fd;
	uint32_t mask;     /* entries - 1; keys cycle over 0..entries-1 */
	uint32_t entries;
	uint64_t *buf;     /* value buffer (possible CPUs x 16 bytes for per-CPU) */
	uint32_t *keys;    /* refill data for hash_delete */
	uint64_t *vals;
};

static void lookup_cycle(void *p, uint64_t n)
{
	struct keyed *c = p;

	for (uint64_t i = 0; i < n; i++) {
		uint32_t k = (uint32_t)i & c->mask;

		if (bpf_lookup(c->fd, &k, c->buf))
			die("BPF_MAP_LOOKUP_ELEM", c->op);
		sink += c->buf[0];
	}
}

static void update_cycle(void *p, uint64_t n)
{
	struct keyed *c = p;

	for (uint64_t i = 0; i < n; i++) {
		uint32_t k = (uint32_t)i & c->mask;

		c->buf[0] = i;
		c->buf[1] = ~i;
		if (bpf_update(c->fd, &k, c->buf, BPF_ANY))
			die("BPF_MAP_UPDATE_ELEM", c->op);
	}
}

static void delete_seq(void *p, uint64_t n)
{
	struct keyed *c = p;

	for (uint32_t k = 0; k < n; k++)
		if (bpf_delete(c->fd, &k))
			die("BPF_MAP_DELETE_ELEM", c->op);
}

static void refill(void *p)
{
	struct keyed *c = p;

	batch_fill(c->fd, c->entries, c->keys, c->vals, c->op);
}

static int make_filled(uint32_t type, const char *name, uint32_t entries, uint32_t flags,
		       struct keyed *c)
{
	int fd = bpf_map_create(type, name, 4, VALUE_SIZE, entries, flags);

	if (fd < 0)
		die("BPF_MAP_CREATE", c->op);
	c->keys = xmalloc(entries * sizeof(uint32_t));
	c->vals = xmalloc(entries * (size_t)VALUE_SIZE);
	fill_kv(c->keys, c->vals, entries);
	/* Per-CPU maps would need a value per possible CPU; they are never filled here. */
	if (type != BPF_MAP_TYPE_PERCPU_ARRAY)
		batch_fill(fd, entries, c->keys, c->vals, c->op);
	c->fd = fd;
	c->entries = entries;
	c->mask = entries - 1;
	return fd;
}

static void keyed_free(struct keyed *c)
{
	close(c->fd);
	free(c->keys);
	free(c->vals);
	free(c->buf);
}

/* The single-element groups differ only in map and loop; their shapes, as in README.md. */
struct small_spec {
	const char *op;
	uint32_t type;
	uint32_t entries;
	op_fn run;
	prep_fn prep;
	int consumes; /* each operation removes an entry: a round is at most one full map */
};

static const struct small_spec small_specs[] = {
	{ "array_lookup", BPF_MAP_TYPE_ARRAY, ARRAY_ENTRIES, lookup_cycle, NULL, 0 },
	{ "hash_lookup", BPF_MAP_TYPE_HASH, SMALL_HASH_ENTRIES, lookup_cycle, NULL, 0 },
	{ "hash_update", BPF_MAP_TYPE_HASH, SMALL_HASH_ENTRIES, update_cycle, NULL, 0 },
	{ "hash_delete", BPF_MAP_TYPE_HASH, SMALL_HASH_ENTRIES, delete_seq, refill, 1 },
	{ "percpu_array_lookup", BPF_MAP_TYPE_PERCPU_ARRAY, ARRAY_ENTRIES, lookup_cycle, NULL, 0 },
};

static void small_bench(const struct cfg *cfg, const struct small_spec *s)
{
	struct keyed c = { .op = s->op };
	struct bench b = { .name = s->op, .run = s->run, .prep = s->prep, .ctx = &c,
			   .ops = cfg->ops, .warmup = cfg->warmup, .rounds = cfg->rounds };
	size_t buf_bytes = VALUE_SIZE;

	/* Per-CPU: one round_up(value_size, 8) = 16-byte slot per possible CPU. */
	if (s->type == BPF_MAP_TYPE_PERCPU_ARRAY)
		buf_bytes = (size_t)possible_cpus() * ((VALUE_SIZE + 7) & ~7u);
	make_filled(s->type, s->op, s->entries, 0, &c);
	c.buf = xmalloc(buf_bytes);
	memset(c.buf, 0, buf_bytes);
	if (s->consumes) {
		if (b.ops > s->entries)
			b.ops = s->entries;
		if (b.warmup > s->entries)
			b.warmup = s->entries;
	}
	run_bench(&b);
	keyed_free(&c);
}

/* ---- BPF_F_MMAPABLE array: syscall lookup vs plain loads/stores through mmap ---- */

struct mm {
	volatile uint64_t *v; /* element i is v[2i], v[2i+1]: elem_size = round_up(16, 8) */
	uint32_t mask;
};

static void mmap_read(void *p, uint64_t n)
{
	struct mm *m = p;
	uint64_t s = 0;

	for (uint64_t i = 0; i < n; i++) {
		uint32_t k = (uint32_t)i & m->mask;

		s += m->v[2 * k] + m->v[2 * k + 1];
	}
	sink += s;
}

static void mmap_write(void *p, uint64_t n)
{
	struct mm *m = p;

	for (uint64_t i = 0; i < n; i++) {
		uint32_t k = (uint32_t)i & m->mask;

		m->v[2 * k] = i;
		m->v[2 * k + 1] = ~i;
	}
}

/* The first u64 of each element += 1, atomically: what __sync_fetch_and_add is in a BPF program. */
static void mmap_add(void *p, uint64_t n)
{
	struct mm *m = p;

	for (uint64_t i = 0; i < n; i++) {
		uint32_t k = (uint32_t)i & m->mask;

		__sync_fetch_and_add(&m->v[2 * k], 1);
	}
}

static void g_array_syscall_vs_mmap(const struct cfg *cfg)
{
	const char *op = "mmapable_array_lookup";
	struct keyed c = { .op = op };
	struct bench b = { .name = op, .run = lookup_cycle, .ctx = &c, .ops = cfg->ops,
			   .warmup = cfg->warmup, .rounds = cfg->rounds };
	long page = sysconf(_SC_PAGESIZE);
	size_t len = ((size_t)ARRAY_ENTRIES * VALUE_SIZE + (size_t)page - 1) & ~((size_t)page - 1);
	struct mm m = { .mask = ARRAY_ENTRIES - 1 };
	void *region;

	make_filled(BPF_MAP_TYPE_ARRAY, "mmap_array", ARRAY_ENTRIES, BPF_F_MMAPABLE, &c);
	c.buf = xmalloc(VALUE_SIZE);
	run_bench(&b);

	/* An mmapable array maps its values from offset 0, back to back (kernel/bpf/arraymap.c). */
	region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, c.fd, 0);
	if (region == MAP_FAILED)
		die("mmap", op);
	m.v = region;
	/* Guard the layout assumption before timing anything through it. */
	if (m.v[2 * 5] != 5 || m.v[2 * 5 + 1] != ~(uint64_t)5) {
		fprintf(stderr, "mapbench: %s: mmapped element 5 is not {5, ~5}\n", op);
		exit(1);
	}
	b.ctx = &m;
	b.ops = cfg->mmap_ops;
	b.warmup = cfg->mmap_ops / 10;

	b.name = "mmap_array_read";
	b.run = mmap_read;
	run_bench(&b);
	b.name = "mmap_array_write";
	b.run = mmap_write;
	run_bench(&b);
	/* The same two loops again, paired with Java's field accessors instead of its codec. */
	b.name = "mmap_array_read_fields";
	b.run = mmap_read;
	run_bench(&b);
	b.name = "mmap_array_write_fields";
	b.run = mmap_write;
	run_bench(&b);
	b.name = "mmap_array_atomic_add";
	b.run = mmap_add;
	b.ops = cfg->mmap_ops / 10;
	b.warmup = b.ops / 10;
	run_bench(&b);

	munmap(region, len);
	keyed_free(&c);
}

/* ---- the 1M-entry hash: batch iteration, next-key walk, batch insert ---- */

static int big_fd = -1;
static uint32_t *big_keys;
static uint64_t *big_vals;

static void big_data(const struct cfg *c)
{
	if (big_keys)
		return;
	big_keys = xmalloc((size_t)c->big_entries * sizeof(uint32_t));
	big_vals = xmalloc((size_t)c->big_entries * VALUE_SIZE);
	fill_kv(big_keys, big_vals, c->big_entries);
}

/* One map shared by hash_iter_batch_1m, hash_iter_nextkey_1m and pin_1m; built untimed. */
static int big_map(const struct cfg *c)
{
	if (big_fd >= 0)
		return big_fd;
	big_data(c);
	big_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_hash_1m", 4, VALUE_SIZE,
				c->big_entries, 0);
	if (big_fd < 0)
		die("BPF_MAP_CREATE", "hash_1m");
	batch_fill(big_fd, c->big_entries, big_keys, big_vals, "hash_1m");
	return big_fd;
}

struct iter {
	const char *op;
	int fd;
	uint32_t batch;    /* current batch size; grows on ENOSPC and keeps the growth */
	uint32_t *keys;
	uint64_t *vals;
	size_t cap;        /* entries the key/value buffers hold */
};

static void check_seen(const char *op, uint64_t seen, uint64_t n)
{
	if (seen != n) {
		fprintf(stderr, "mapbench: %s: iterated %llu entries, map holds %llu\n", op,
			(unsigned long long)seen, (unsigned long long)n);
		exit(1);
	}
}

static void iter_batch(void *p, uint64_t n)
{
	struct iter *it = p;
	/* Hash maps use a u32 bucket index as the batch token; 8 bytes covers any key here. */
	uint64_t in_tok = 0, out_tok = 0;
	uint64_t seen = 0, s = 0;
	int first = 1;

	for (;;) {
		uint32_t count = it->batch;
		int rc;

		if (it->cap < count) {
			free(it->keys);
			free(it->vals);
			it->keys = xmalloc((size_t)count * sizeof(uint32_t));
			it->vals = xmalloc((size_t)count * VALUE_SIZE);
			it->cap = count;
		}
		rc = bpf_batch(BPF_MAP_LOOKUP_BATCH, it->fd, first ? NULL : &in_tok, &out_tok,
			       it->keys, it->vals, &count, 0);
		if (rc && errno == ENOSPC) {
			/*
			 * bpf.h, BPF_MAP_LOOKUP_BATCH: ENOSPC means the buffers cannot hold one
			 * whole hash bucket; nothing was copied, so retry the same token, bigger.
			 */
			it->batch *= 2;
			continue;
		}
		if (rc && errno != ENOENT)
			die("BPF_MAP_LOOKUP_BATCH", it->op);
		for (uint32_t i = 0; i < count; i++)
			s += it->vals[2 * i];
		seen += count;
		if (rc) /* ENOENT: that was the last chunk */
			break;
		in_tok = out_tok;
		first = 0;
	}
	sink += s;
	check_seen(it->op, seen, n);
}

static void iter_nextkey(void *p, uint64_t n)
{
	struct iter *it = p;
	uint64_t v[2], seen = 0, s = 0;
	uint32_t key, next;
	int rc = bpf_next_key(it->fd, NULL, &key);

	while (rc == 0) {
		if (bpf_lookup(it->fd, &key, v))
			die("BPF_MAP_LOOKUP_ELEM", it->op);
		s += v[0];
		seen++;
		rc = bpf_next_key(it->fd, &key, &next);
		key = next;
	}
	if (errno != ENOENT)
		die("BPF_MAP_GET_NEXT_KEY", it->op);
	sink += s;
	check_seen(it->op, seen, n);
}

static void g_hash_iter_batch(const struct cfg *c)
{
	struct iter it = { .op = "hash_iter_batch_1m", .fd = big_map(c), .batch = c->batch };
	struct bench b = { .name = it.op, .run = iter_batch, .ctx = &it, .ops = c->big_entries,
			   .warmup = c->big_entries, .rounds = c->big_rounds };

	run_bench(&b);
	free(it.keys);
	free(it.vals);
}

static void g_hash_iter_nextkey(const struct cfg *c)
{
	struct iter it = { .op = "hash_iter_nextkey_1m", .fd = big_map(c) };
	/* No warm-up pass: one pass costs seconds; the median of the rounds absorbs the first. */
	struct bench b = { .name = it.op, .run = iter_nextkey, .ctx = &it, .ops = c->big_entries,
			   .warmup = 0, .rounds = c->big_rounds };

	run_bench(&b);
}

struct fresh {
	int fd;
	uint32_t entries;
};

/* Each round inserts into a new, empty map, so every round does the same work. */
static void fresh_map(void *p)
{
	struct fresh *f = p;

	if (f->fd >= 0)
		close(f->fd);
	f->fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_upd_1m", 4, VALUE_SIZE, f->entries, 0);
	if (f->fd < 0)
		die("BPF_MAP_CREATE", "hash_update_batch_1m");
}

static void insert_batch(void *p, uint64_t n)
{
	struct fresh *f = p;

	batch_fill(f->fd, (uint32_t)n, big_keys, big_vals, "hash_update_batch_1m");
}

static void g_hash_update_batch(const struct cfg *c)
{
	struct fresh f = { .fd = -1, .entries = c->big_entries };
	struct bench b = { .name = "hash_update_batch_1m", .run = insert_batch, .prep = fresh_map,
			   .ctx = &f, .ops = c->big_entries, .warmup = c->big_entries,
			   .rounds = c->big_rounds };

	big_data(c);
	run_bench(&b);
	close(f.fd);
}

/* Pins the shared 1M hash so bench.sh can time `bpftool map dump` on it. */
static void g_pin(const struct cfg *c)
{
	uint32_t id;
	int fd;

	if (!c->pin || !*c->pin) {
		fprintf(stderr, "mapbench: pin_1m needs BENCH_PIN=/sys/fs/bpf/<name>\n");
		exit(2);
	}
	fd = big_map(c);
	if (bpf_pin(fd, c->pin))
		die("BPF_OBJ_PIN", "pin_1m");
	if (bpf_map_id(fd, &id))
		die("BPF_OBJ_GET_INFO_BY_FD", "pin_1m");
	printf("pinned=%s map_id=%u entries=%u\n", c->pin, id, c->big_entries);
	fflush(stdout);
}

static void g_ringbuf(const struct cfg *c)
{
	bench_ringbuf(c);
}

static const struct group {
	const char *name;
	void (*fn)(const struct cfg *);
	int by_default; /* pin_1m only runs when asked for or when BENCH_PIN is set */
	const struct small_spec *small; /* set: run small_bench with it instead of fn */
} groups[] = {
	{ "array_lookup", NULL, 1, &small_specs[0] },
	{ "hash_lookup", NULL, 1, &small_specs[1] },
	{ "hash_update", NULL, 1, &small_specs[2] },
	{ "hash_delete", NULL, 1, &small_specs[3] },
	{ "percpu_array_lookup", NULL, 1, &small_specs[4] },
	{ "array_syscall_vs_mmap", g_array_syscall_vs_mmap, 1, NULL },
	{ "hash_iter_batch_1m", g_hash_iter_batch, 1, NULL },
	{ "hash_iter_nextkey_1m", g_hash_iter_nextkey, 1, NULL },
	{ "hash_update_batch_1m", g_hash_update_batch, 1, NULL },
	{ "ringbuf_consume", g_ringbuf, 1, NULL },
	{ "perf_poll", bench_perf_poll, 1, NULL },
	{ "ringbuf_poll", bench_ringbuf_poll, 1, NULL },
	/* not in the table: rates, not times (bench.sh --loss) */
	{ "perf_loss", bench_perf_loss, 0, NULL },
	{ "ringbuf_loss", bench_ringbuf_loss, 0, NULL },
	{ "pin_1m", g_pin, 0, NULL },
};

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

int main(int argc, char **argv)
{
	struct cfg c = {
		.ops = env_u64("BENCH_OPS", 200000),
		.warmup = env_u64("BENCH_WARMUP", 20000),
		.rounds = (int)env_u64("BENCH_ROUNDS", 5),
		.mmap_ops = env_u64("BENCH_MMAP_OPS", 50000000),
		.big_entries = (uint32_t)env_u64("BENCH_BIG_ENTRIES", 1000000),
		.big_rounds = (int)env_u64("BENCH_BIG_ROUNDS", 3),
		.batch = (uint32_t)env_u64("BENCH_BATCH", 4096),
		.ringbuf_bytes = env_u64("BENCH_RINGBUF_BYTES", 16u << 20),
		.pin = getenv("BENCH_PIN"),
	};
	size_t i;

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < NGROUPS; i++)
			puts(groups[i].name);
		return 0;
	}
	for (int a = 1; a < argc; a++) {
		for (i = 0; i < NGROUPS && strcmp(argv[a], groups[i].name); i++)
			;
		if (i == NGROUPS) {
			fprintf(stderr, "mapbench: unknown group '%s' (see --list)\n", argv[a]);
			return 2;
		}
	}
	/*
	 * BENCH_IDLE_THREADS=n: n threads that only sleep, so that the process is multithreaded as a
	 * JVM always is. The kernel then shares the fd table, and every system call on an fd takes a
	 * reference on its file (fdget) instead of skipping it: the part of Java's gap to the
	 * single-threaded loop that no Java code can remove.
	 */
	for (uint64_t t = env_u64("BENCH_IDLE_THREADS", 0); t > 0; t--) {
		pthread_t th;

		if (pthread_create(&th, NULL, idle_thread, NULL))
			die("pthread_create", "BENCH_IDLE_THREADS");
	}
	for (i = 0; i < NGROUPS; i++) {
		int want = argc == 1 ? (groups[i].by_default
					|| (c.pin && *c.pin && groups[i].fn == g_pin)) : 0;

		for (int a = 1; a < argc; a++)
			want |= strcmp(argv[a], groups[i].name) == 0;
		if (want && groups[i].small)
			small_bench(&c, groups[i].small);
		else if (want)
			groups[i].fn(&c);
	}
	if (big_fd >= 0)
		close(big_fd);
	return 0;
}
