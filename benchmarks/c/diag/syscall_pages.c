/*
 * Why a system call from Java can cost more than the same call from C on a host whose kernel
 * runs page-table isolation without PCID (`pti=on`, no `pcid` in /proc/cpuinfo; this project's
 * VM since 2026-12): every entry to and exit from the kernel switches CR3 without a process-
 * context id, which empties the TLB of every user mapping. Whatever user pages the caller touches
 * after the call (code, stack, heap, thread structures) each cost a page walk again. A C caller
 * touches a few; a JVM's call path (JIT code, native wrapper, JNI stub, thread state, the handle's
 * objects, the decoded result) touches more.
 *
 * This program times getppid(2) followed by reads of N distinct pages, for several N, and the
 * same reads without the system call. (call+N) - (call+0) - (reads alone) is what those pages cost
 * because of the call: the TLB refills. Two layouts: dense (pages 4 KiB apart, sharing their
 * page-table pages, as a small C program's are) and sparse (pages 1 GiB + 4 KiB apart, each under
 * page-table pages of its own, as a JVM's code cache, heap, metaspace, stacks and libraries are).
 * Build and run: gcc -O2 -o syscall_pages syscall_pages.c && ./syscall_pages
 * Not part of mapbench: bench.sh compiles only the .c files directly in c/.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CALLS 200000
#define MAX_PAGES 64
#define PAGE 4096

static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

#define SPARSE_GAP ((size_t)1 << 30)

static volatile uint64_t *pages[MAX_PAGES];

/* Reads one word of each of n pages; a different word each round, so no line stays hot alone. */
static __attribute__((noinline)) uint64_t touch(int n, uint64_t round)
{
	uint64_t s = 0;

	for (int p = 0; p < n; p++)
		s += pages[p][(round & 7) * 8];
	return s;
}

static double run(int n, int call)
{
	double best = 1e30;

	for (int r = 0; r < 5; r++) {
		uint64_t s = 0;
		double t0 = now_ns();

		for (uint64_t i = 0; i < CALLS; i++) {
			if (call)
				s += (uint64_t)syscall(SYS_getppid);
			s += touch(n, i);
		}
		double ns = (now_ns() - t0) / CALLS;

		sink += s;
		if (ns < best)
			best = ns;
	}
	return best;
}

static void table(const char *layout)
{
	static const int ns[] = { 1, 2, 4, 8, 16, 32, 64 };
	double base = run(0, 1);

	printf("%s layout; getppid + 0 pages: %.1f ns\n", layout, base);
	printf("%6s %14s %14s %14s %12s\n", "pages", "call+reads ns", "reads alone ns", "extra ns",
	       "ns per page");
	for (unsigned k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		double with = run(ns[k], 1);
		double alone = run(ns[k], 0);
		double extra = with - base - alone;

		printf("%6d %14.1f %14.1f %14.1f %12.1f\n", ns[k], with, alone, extra, extra / ns[k]);
	}
}

int main(void)
{
	/* MAP_POPULATE: no first-touch faults in the timed loops; 4 KiB pages (no THP advice). */
	char *dense = mmap(NULL, (size_t)MAX_PAGES * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	/* Address space only; one page of each GiB is made accessible and touched. */
	char *sparse = mmap(NULL, MAX_PAGES * SPARSE_GAP + PAGE, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (dense == MAP_FAILED || sparse == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int p = 0; p < MAX_PAGES; p++)
		pages[p] = (volatile uint64_t *)(dense + (size_t)p * PAGE);
	table("dense");
	for (int p = 0; p < MAX_PAGES; p++) {
		char *at = sparse + (size_t)p * (SPARSE_GAP + PAGE);

		if (mprotect(at, PAGE, PROT_READ | PROT_WRITE)) {
			perror("mprotect");
			return 1;
		}
		at[0] = 1;
		pages[p] = (volatile uint64_t *)at;
	}
	table("sparse");
	return 0;
}
