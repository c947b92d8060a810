/*
 * Why a system call from Java costs more than the same call from C on some machines: after
 * the kernel returns, every user-space `ret` between the `syscall` instruction and the caller
 * may be mispredicted, because kernel mitigations that rewrite the return stack buffer
 * (AMD "spec_rstack_overflow: Safe RET", "RSB filling"; see
 * /sys/devices/system/cpu/vulnerabilities/) leave it holding nothing useful for user space.
 * A JNA direct call returns through about eight native frames (libc syscall, libffi's
 * ffi_call_unix64/ffi_call_int/ffi_call, JNA's dispatch, libffi's closure, the JVM's native
 * wrapper); C returns through one or two.
 *
 * This program times getppid(2) called at depth 1 and through 8 more non-inlined frames.
 * Build and run: gcc -O2 -o syscall_depth syscall_depth.c && ./syscall_depth
 * Not part of mapbench: bench.sh compiles only the .c files directly in c/.
 * The control runs the same frames around a function that does not enter the kernel.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))
#define CALLS 1000000

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Each level does work after the call so the compiler cannot turn it into a tail call. */
static long leaf_syscall(void) { return syscall(SYS_getppid); }
static NOINLINE long leaf_plain(void) { __asm__ volatile("" ::: "memory"); return 1; }

NOINLINE long level0(long x, long (*leaf)(void)) { long r = leaf(); __asm__ volatile("" ::: "memory"); return r + x; }
NOINLINE long level1(long x, long (*leaf)(void)) { long r = level0(x, leaf) + 1; __asm__ volatile("" ::: "memory"); return r; }
NOINLINE long level2(long x, long (*leaf)(void)) { long r = level1(x, leaf) + 1; __asm__ volatile("" ::: "memory"); return r; }
NOINLINE long level3(long x, long (*leaf)(void)) { long r = level2(x, leaf) + 1; __asm__ volatile("" ::: "memory"); return r; }
NOINLINE long level4(long x, long (*leaf)(void)) { long r = level3(x, leaf) + 1; __asm__ volatile("" ::: "memory"); return r; }
NOINLINE long level5(long x, long (*leaf)(void)) { long r = level4(x, leaf) + 1; __asm__ volatile("" ::: "memory"); return r; }
NOINLINE long level6(long x, long (*leaf)(void)) { long r = level5(x, leaf) + 1; __asm__ volatile("" ::: "memory"); return r; }
NOINLINE long level7(long x, long (*leaf)(void)) { long r = level6(x, leaf) + 1; __asm__ volatile("" ::: "memory"); return r; }
NOINLINE long level8(long x, long (*leaf)(void)) { long r = level7(x, leaf) + 1; __asm__ volatile("" ::: "memory"); return r; }

int main(void)
{
	long sink = 0;

	for (int round = 0; round < 3; round++) {
		long (*leaves[2])(void) = { leaf_syscall, leaf_plain };

		for (int l = 0; l < 2; l++) {
			double t0 = now_ns(), t1, t2;

			for (long i = 0; i < CALLS; i++)
				sink += level0(i, leaves[l]);
			t1 = now_ns();
			for (long i = 0; i < CALLS; i++)
				sink += level8(i, leaves[l]);
			t2 = now_ns();
			printf("%-8s at depth 1: %6.1f ns, at depth 9: %6.1f ns\n",
			       l == 0 ? "getppid" : "control", (t1 - t0) / CALLS, (t2 - t1) / CALLS);
		}
	}
	return sink == 0;
}
