/*
 * ringbuf_consume: how fast user space drains a BPF_MAP_TYPE_RINGBUF through its mmapped
 * pages. A hand-assembled socket-filter program writes one 16-byte record per run with
 * bpf_ringbuf_output(); BPF_PROG_TEST_RUN with `repeat` runs it K times to fill the ring
 * (untimed), then the drain of those K records is timed.
 *
 * Sources: include/uapi/linux/bpf.h (BPF_RINGBUF_BUSY_BIT, BPF_RINGBUF_DISCARD_BIT,
 * BPF_RINGBUF_HDR_SZ, BPF_RB_NO_WAKEUP, BPF_PROG_TEST_RUN attr) and
 * Documentation/bpf/ringbuf.rst (page layout: consumer position page at offset 0, writable;
 * producer position page then the data area, mapped twice back to back, read-only).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "bpfsys.h"

#define OP "ringbuf_consume"
#define RECORD_SIZE 16u
/* Each record takes its 8-byte header plus the payload, rounded up to 8. */
#define RECORD_FOOTPRINT ((RECORD_SIZE + BPF_RINGBUF_HDR_SZ + 7) & ~7u)

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off,
			      .imm = imm };
	return i;
}

/*
 *   r1 = 42; *(u64 *)(r10 - 16) = r1; *(u64 *)(r10 - 8) = r1
 *   r1 = <ringbuf map fd>            (ld_imm64, src_reg BPF_PSEUDO_MAP_FD)
 *   r2 = r10 - 16; r3 = 16; r4 = BPF_RB_NO_WAKEUP
 *   call bpf_ringbuf_output; r0 = 0; exit
 * BPF_RB_NO_WAKEUP: nobody waits on the ring, so skip the irq_work a wakeup would queue.
 */
static int load_producer(int ring_fd)
{
	struct bpf_insn prog[] = {
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 42),
		insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_1, -16, 0),
		insn(BPF_STX | BPF_MEM | BPF_DW, BPF_REG_10, BPF_REG_1, -8, 0),
		insn(BPF_LD | BPF_IMM | BPF_DW, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, ring_fd),
		insn(0, 0, 0, 0, 0), /* upper half of the 64-bit immediate */
		insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0),
		insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, -16),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, RECORD_SIZE),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, BPF_RB_NO_WAKEUP),
		insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_output),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0),
		insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	static char log[65536];
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = ptr_to_u64(prog);
	a.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	a.license = ptr_to_u64("GPL"); /* the ringbuf helpers are GPL-only */
	strncpy(a.prog_name, "bench_rb_out", sizeof(a.prog_name) - 1);
	fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0)
		return fd;
	/* Load again with a verifier log so a failure says why. */
	a.log_level = 1;
	a.log_buf = ptr_to_u64(log);
	a.log_size = sizeof(log);
	fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0) {
		fprintf(stderr, "%s\n", log);
		die("BPF_PROG_LOAD", OP);
	}
	return fd;
}

/* Runs the producer `repeat` times; returns the kernel's average ns per run. */
static uint32_t produce(int prog_fd, uint32_t repeat)
{
	unsigned char pkt[64] = { 0 }; /* skb test runs need at least an Ethernet header */
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = prog_fd;
	a.test.data_in = ptr_to_u64(pkt);
	a.test.data_size_in = sizeof(pkt);
	a.test.repeat = repeat;
	if (sys_bpf(BPF_PROG_TEST_RUN, &a))
		die("BPF_PROG_TEST_RUN", OP);
	return a.test.duration;
}

struct ring {
	volatile uint64_t *cons;       /* consumer position, ours to advance */
	const volatile uint64_t *prod; /* producer position, the kernel's */
	const unsigned char *data;     /* data area, mapped twice so records never wrap */
	uint64_t mask;
};

/*
 * Drains every committed record; publishes the consumer position after each one. Returns
 * the records seen; *sum gets the sum of their first u64 (42 each) as a content check.
 */
static uint64_t drain(struct ring *r, uint64_t *sum)
{
	uint64_t c = *r->cons, seen = 0, s = 0;
	uint64_t p = __atomic_load_n(r->prod, __ATOMIC_ACQUIRE);

	while (c < p) {
		const uint32_t *hdr = (const uint32_t *)(r->data + (c & r->mask));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

		if (len & BPF_RINGBUF_BUSY_BIT) /* reserved, not yet committed */
			break;
		if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
			s += *(const uint64_t *)(hdr + 2);
			seen++;
		}
		len &= ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		c += (len + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
		__atomic_store_n(r->cons, c, __ATOMIC_RELEASE);
	}
	*sum = s;
	return seen;
}

void bench_ringbuf(const struct cfg *cfg)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t size = cfg->ringbuf_bytes;
	/* Leave headroom so bpf_ringbuf_output never meets a full ring and drops a record. */
	uint32_t per_round = (uint32_t)(size / RECORD_FOOTPRINT * 9 / 10);
	double ns[64], prod_ns[64];
	int rounds = cfg->rounds > 64 ? 64 : cfg->rounds;
	struct ring r;
	void *cpage, *dpages;
	uint64_t sum;
	int ring_fd, prog_fd;

	if (size & (size - 1) || size % (uint64_t)page) {
		fprintf(stderr, "mapbench: BENCH_RINGBUF_BYTES must be a power of two and a "
				"multiple of the page size\n");
		exit(2);
	}
	/* RINGBUF: key and value size 0, max_entries is the data size in bytes. */
	ring_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "bench_ringbuf", 0, 0, (uint32_t)size, 0);
	if (ring_fd < 0)
		die("BPF_MAP_CREATE", OP);
	prog_fd = load_producer(ring_fd);

	cpage = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, ring_fd, 0);
	dpages = mmap(NULL, (size_t)page + 2 * size, PROT_READ, MAP_SHARED, ring_fd, page);
	if (cpage == MAP_FAILED || dpages == MAP_FAILED)
		die("mmap", OP);
	r.cons = cpage;
	r.prod = dpages;
	r.data = (const unsigned char *)dpages + page;
	r.mask = size - 1;

	/* Warm-up: one fill and drain, untimed. */
	produce(prog_fd, per_round);
	drain(&r, &sum);
	for (int i = 0; i < rounds; i++) {
		uint64_t t0, seen;

		prod_ns[i] = produce(prog_fd, per_round);
		t0 = now_ns();
		seen = drain(&r, &sum);
		ns[i] = (double)(now_ns() - t0) / per_round;
		if (seen != per_round || sum != 42ull * per_round) {
			fprintf(stderr, "mapbench: %s: drained %llu records (sum %llu), "
					"produced %u of 42\n", OP, (unsigned long long)seen,
				(unsigned long long)sum, per_round);
			exit(1);
		}
	}
	report(OP, ns, rounds, per_round);
	/* For context: in-kernel cost of one producer run (program + ringbuf_output). */
	report("ringbuf_produce_testrun", prod_ns, rounds, per_round);

	munmap(dpages, (size_t)page + 2 * size);
	munmap(cpage, (size_t)page);
	close(prog_fd);
	close(ring_fd);
}
