package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfClosedException;
import io.github.bpfmaps.runtime.BpfLoadException;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;
import io.github.bpfmaps.runtime.elf.TestObjects;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Closing a handle or an object while other threads use it, and open/close cycles: no recycled fd
 * number is ever used, no fd leaks.
 */
class LifecycleTest {
  private static final MapSpec SPEC = MapSpec.of("rel_victim", MapType.HASH, 4, 8, 1024, 0);
  private static final int ROUNDS = 100;
  private static final int HAMMERS = 3;

  @Test
  void threadsHammeringAClosedHandleGetClosedExceptionsAndNeverTouchTheFileThatReusedItsFd()
      throws Exception {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    int reused = 0;
    long closedSeen = 0;
    long opsBeforeClose = 0;
    for (int round = 0; round < ROUNDS; round++) {
      BpfHashMap<Integer, Long> victim = new BpfHashMap<>(MapFd.create(SPEC), SPEC, Codecs.U32, Codecs.U64);
      int oldNumber = victim.fd().acquire();
      victim.fd().release();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong closedCount = new AtomicLong();
      AtomicLong ops = new AtomicLong();
      CountDownLatch running = new CountDownLatch(HAMMERS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < HAMMERS; t++) {
        int base = t * 100_000;
        Thread th = new Thread(() -> {
          boolean closed = false;
          int i = 0;
          running.countDown();
          while (!stop.get()) {
            // no remove: a stray write must stay visible in the map that took the number
            int key = base + (i++ % 300);
            try {
              victim.set(key, (long) key);
              victim.get(key);
              if (closed) {
                throw new AssertionError("an operation succeeded after BpfClosedException");
              }
              ops.incrementAndGet();
            } catch (BpfClosedException e) {
              closed = true;
              closedCount.incrementAndGet();
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
              return;
            }
          }
        });
        th.start();
        threads.add(th);
      }
      running.await();
      victim.close();
      // A thread inside a call defers the real close(2) to its release; wait for it, so that the
      // lowest free number, handed out next, is the old one: a map of the same shape, where a stray
      // update through the old number would succeed silently.
      Path oldEntry = Path.of("/proc/self/fd/" + oldNumber);
      while (Files.exists(oldEntry, LinkOption.NOFOLLOW_LINKS)) {
        Thread.onSpinWait();
      }
      try (BpfHashMap<Integer, Long> bystander =
               new BpfHashMap<>(MapFd.create(SPEC), SPEC, Codecs.U32, Codecs.U64)) {
        int newNumber = bystander.fd().acquire();
        bystander.fd().release();
        if (newNumber == oldNumber) {
          reused++;
        }
        Thread.sleep(5); // the hammering goes on against the new owner of the number
        stop.set(true);
        for (Thread th : threads) {
          th.join();
        }
        if (failure.get() != null) {
          throw new AssertionError("round " + round, failure.get());
        }
        assertEquals(0, bystander.keys().size(), "round " + round + ": a closed handle wrote to fd "
            + newNumber + ", which now belongs to another map");
      }
      assertTrue(closedCount.get() >= HAMMERS, "every thread ran into the close");
      assertThrows(BpfClosedException.class, () -> victim.get(1));
      closedSeen += closedCount.get();
      opsBeforeClose += ops.get();
    }
    System.out.printf("close under use: %d rounds x %d threads, %d operations before close, %d"
        + " BpfClosedExceptions after, fd number reused at once in %d rounds%n",
        ROUNDS, HAMMERS, opsBeforeClose, closedSeen, reused);
    assertTrue(reused > ROUNDS / 2, "the test must actually see numbers reused: " + reused);
  }

  @Test
  void testRunsOfAClosedObjectGetClosedExceptionsAndNeverRunTheProgramThatReusedTheFd() throws Exception {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Path object = TestObjects.testObject("atomic_counters");
    MapSpec shared = MapSpec.of("shared", MapType.ARRAY, 4, 8, 2, 0);
    byte[] frame = new byte[64];
    int reused = 0;
    for (int round = 0; round < 20; round++) {
      BpfObject old = BpfObject.load(object);
      BpfProgram prog = old.program("xdp_add");
      int oldNumber = prog.acquire();
      prog.release();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicLong closedCount = new AtomicLong();
      CountDownLatch running = new CountDownLatch(HAMMERS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < HAMMERS; t++) {
        Thread th = new Thread(() -> {
          running.countDown();
          while (!stop.get()) {
            try {
              prog.testRun(frame, 1);
            } catch (BpfClosedException e) {
              assertEquals("use on 'xdp_add': the handle is closed", e.getMessage());
              closedCount.incrementAndGet();
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
              return;
            }
          }
        });
        th.start();
        threads.add(th);
      }
      running.await();
      old.close();
      Path oldEntry = Path.of("/proc/self/fd/" + oldNumber);
      while (Files.exists(oldEntry, LinkOption.NOFOLLOW_LINKS)) {
        Thread.onSpinWait();
      }
      // A second copy: its fds take the freed numbers, its program most likely the old one's.
      try (BpfObject fresh = BpfObject.load(object);
          BpfArrayMap<Long> counts = new BpfArrayMap<>(fresh.mapFd("shared"), shared, Codecs.U64)) {
        BpfProgram freshProg = fresh.program("xdp_add");
        if (freshProg.acquire() == oldNumber) {
          reused++;
        }
        freshProg.release();
        Thread.sleep(5);
        stop.set(true);
        for (Thread th : threads) {
          th.join();
        }
        if (failure.get() != null) {
          throw new AssertionError("round " + round, failure.get());
        }
        assertEquals(0L, counts.get(0), "round " + round + ": a closed program's caller ran the new program");
      }
      assertTrue(closedCount.get() >= HAMMERS, "every thread ran into the close");
    }
    assertTrue(reused >= 10, "the program's fd number must actually be reused: " + reused + " of 20");
    System.out.println("close object under test runs: 20 rounds x " + HAMMERS + " threads, program fd"
        + " number reused in " + reused + " rounds");
  }

  /** Parsing is cheap and opens nothing that outlives it: every cycle of the whole budget. */
  private static final int PARSE_CYCLES = 10_000;
  /** A full cycle measured 0.3 ms here (xdp_counter: one map, one short program). */
  private static final int LOAD_CYCLES = 10_000;

  @Test
  void tenThousandParseAndTenThousandFullLoadCyclesLeakNoFd() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Path object = TestObjects.sample("xdp_counter");
    byte[] frame = new byte[64];
    // one warm-up cycle: JNA, the Cleaner thread and class loading open their fds once
    try (BpfObject obj = BpfObject.load(object)) {
      obj.program("xdp_count").testRun(frame, 1);
    }
    int fdsBefore = KernelTests.openFds();
    Set<String> bpfBefore = Leaks.bpfFds();
    long t0 = System.nanoTime();
    for (int i = 0; i < PARSE_CYCLES; i++) {
      try (BpfObject obj = BpfObject.open(object)) {
        assertEquals(1, obj.programs().size());
      }
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < LOAD_CYCLES; i++) {
      try (BpfObject obj = BpfObject.open(object)) {
        obj.load();
        assertEquals(2, obj.program("xdp_count").testRun(frame, 1).retval());
      }
    }
    long t2 = System.nanoTime();
    assertEquals(Set.of(), Leaks.newSince(bpfBefore), "BPF fds left open");
    assertEquals(fdsBefore, KernelTests.openFds(), "fds left open");
    System.out.printf("open/close: %d parse cycles in %d ms, %d open+load+test-run+close cycles in %d ms%n",
        PARSE_CYCLES, (t1 - t0) / 1_000_000, LOAD_CYCLES, (t2 - t1) / 1_000_000);
  }

  @Test
  void refusedLoadsInALoopLeaveNoFdAndNoPin() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Path dir = KernelTests.pinDir();
    try {
      Path object = TestObjects.testObject("verifier_reject");
      assertThrows(BpfLoadException.class, () -> BpfObject.load(object, o -> o.pinRoot(dir))); // warm-up
      int fdsBefore = KernelTests.openFds();
      Set<String> bpfBefore = Leaks.bpfFds();
      for (int i = 0; i < 100; i++) {
        assertThrows(BpfLoadException.class, () -> BpfObject.load(object, o -> o.pinRoot(dir)));
      }
      assertEquals(Set.of(), Leaks.newSince(bpfBefore), "BPF fds left open by refused loads");
      assertEquals(fdsBefore, KernelTests.openFds());
      assertEquals(0, dir.toFile().list().length, "pins left by refused loads");
    } finally {
      KernelTests.deleteTree(dir);
    }
  }
}
