package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.runtime.maps.BpfPerCpuArrayMap;
import io.github.bpfmaps.runtime.maps.PerCpuValues;
import io.github.bpfmaps.spec.MapSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Java threads and a BPF program (through {@code BPF_PROG_TEST_RUN}, from other Java threads) work
 * on the maps of {@code atomic_counters.bpf.o} at once for a bounded time; afterwards every count
 * adds up exactly. User-space {@code set} is a read-modify-write that is not atomic against the
 * kernel, so the design keeps the two apart where they write: the program adds atomically to its
 * own counters (shared ARRAY slots, a PERCPU_ARRAY slot, key 0 of a HASH), each Java thread
 * increments its own key of the same HASH, and every thread also reads what the others write.
 */
class ConcurrentLoadTest {
  private static final MapSpec SHARED = MapSpec.of("shared", MapType.ARRAY, 4, 8, 2, 0);
  private static final MapSpec PER_CPU = MapSpec.of("per_cpu", MapType.PERCPU_ARRAY, 4, 8, 1, 0);
  private static final MapSpec MIXED = MapSpec.of("mixed", MapType.HASH, 4, 8, 64, 0);

  /** Long enough for both CPUs to interleave millions of map operations; short for the suite. */
  private static final long DURATION_MS = Long.getLong("bpfmaps.reliability.loadMillis", 5_000);
  private static final int RUNNERS = 2;
  private static final int WRITERS = 3;
  private static final int REPEAT = 64;

  @Test
  void javaThreadsAndTestRunsOnOneMapAddUpExactly() throws Exception {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    try (BpfObject obj = BpfObject.load(TestObjects.testObject("atomic_counters"));
        BpfArrayMap<Long> shared = new BpfArrayMap<>(obj.mapFd("shared"), SHARED, Codecs.U64);
        BpfPerCpuArrayMap<Long> perCpu = new BpfPerCpuArrayMap<>(obj.mapFd("per_cpu"), PER_CPU, Codecs.U64);
        BpfHashMap<Integer, Long> mixed = new BpfHashMap<>(obj.mapFd("mixed"), MIXED, Codecs.U32, Codecs.U64)) {
      BpfProgram prog = obj.program("xdp_add");
      mixed.set(0, 0L);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(RUNNERS + WRITERS);
      List<Future<long[]>> runners = new ArrayList<>();
      List<Future<long[]>> writers = new ArrayList<>();
      long start = System.nanoTime();
      try {
        for (int r = 0; r < RUNNERS; r++) {
          int frameLength = 60 + 17 * r; // different lengths, so the byte total checks each run's length
          runners.add(pool.submit(() -> {
            byte[] frame = new byte[frameLength];
            long runs = 0;
            while (!stop.get()) {
              assertEquals(2, prog.testRun(frame, REPEAT).retval()); // XDP_PASS
              runs += REPEAT;
            }
            return new long[] {runs, runs * frameLength};
          }));
        }
        for (int w = 0; w < WRITERS; w++) {
          int key = w + 1;
          writers.add(pool.submit(() -> {
            long increments = 0;
            long reads = 0;
            long lastRuns = 0;
            mixed.set(key, 0L);
            while (!stop.get()) {
              Long mine = mixed.get(key);
              assertEquals(increments, mine, "key " + key + " is written by this thread only");
              mixed.set(key, mine + 1);
              increments++;
              // Reads of what the program writes meanwhile: never torn, never going back.
              long runs = shared.get(0);
              assertTrue(runs >= lastRuns, "runs went back from " + lastRuns + " to " + runs);
              lastRuns = runs;
              PerCpuValues<Long> slots = perCpu.get(0);
              assertEquals(Bpf.possibleCpus(), slots.size());
              reads += 2;
            }
            return new long[] {increments, reads};
          }));
        }
        Thread.sleep(DURATION_MS);
      } finally {
        stop.set(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "threads did not stop");
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      long runs = 0;
      long bytes = 0;
      for (Future<long[]> f : runners) {
        runs += f.get()[0];
        bytes += f.get()[1];
      }
      long javaOps = 0;
      for (int w = 0; w < WRITERS; w++) {
        long[] done = writers.get(w).get();
        assertEquals(done[0], mixed.get(w + 1), "increments of writer " + (w + 1));
        javaOps += 2 * done[0] + done[1];
      }
      assertTrue(runs > 0 && javaOps > 0, "both sides ran");
      assertEquals(runs, shared.get(0), "atomic run count in the shared ARRAY");
      assertEquals(bytes, shared.get(1), "atomic byte count in the shared ARRAY");
      assertEquals(runs, perCpu.get(0).sum(Long::longValue), "sum of the PERCPU_ARRAY slots");
      assertEquals(runs, mixed.get(0), "the program's key of the HASH the Java threads also write");
      assertEquals(WRITERS + 1, mixed.keys().size());
      System.out.printf("concurrent load: %d test-run threads (%d program runs), %d Java threads"
              + " (%d map operations), %d ms%n", RUNNERS, runs, WRITERS, javaOps, elapsedMs);
    }
  }
}
