package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfObjectSpec;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.spec.MapSpec;
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

  /** What hammering threads call: thread {@code t}'s {@code i}-th call. */
  private interface Call {
    void run(int t, int i) throws Exception;
  }

  /**
   * Threads that make one call in a loop until stopped. A call that succeeds after the thread has
   * seen a {@link BpfClosedException} is a failure, as is any other exception.
   */
  private static final class Hammer {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicReference<String> closedMessage = new AtomicReference<>();
    final AtomicLong closed = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    final List<Thread> threads = new ArrayList<>();

    Hammer(int n, Call call) throws InterruptedException {
      CountDownLatch running = new CountDownLatch(n);
      for (int t = 0; t < n; t++) {
        int thread = t;
        Thread th = new Thread(() -> {
          boolean seenClosed = false;
          running.countDown();
          for (int i = 0; !stop.get(); i++) {
            try {
              call.run(thread, i);
              if (seenClosed) {
                throw new AssertionError("a call succeeded after BpfClosedException");
              }
              calls.incrementAndGet();
            } catch (BpfClosedException e) {
              seenClosed = true;
              closed.incrementAndGet();
              closedMessage.compareAndSet(null, e.getMessage());
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
    }

    /** Stops and joins the threads; fails with the first unexpected error of any of them. */
    void stop(String round) throws InterruptedException {
      stop.set(true);
      for (Thread th : threads) {
        th.join();
      }
      if (failure.get() != null) {
        throw new AssertionError(round, failure.get());
      }
      assertTrue(closed.get() >= threads.size(), round + ": every thread ran into the close");
    }
  }

  /**
   * Waits until fd {@code number} is really closed (a thread inside a call defers the close(2) to its
   * release), so that the next fd this process opens gets that lowest free number.
   */
  private static void awaitClosed(int number) {
    Path entry = Path.of("/proc/self/fd/" + number);
    while (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
      Thread.onSpinWait();
    }
  }

  @Test
  void threadsHammeringAClosedHandleGetClosedExceptionsAndNeverTouchTheFileThatReusedItsFd()
      throws Exception {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    int reused = 0;
    long closedSeen = 0;
    long callsBeforeClose = 0;
    for (int round = 0; round < ROUNDS; round++) {
      BpfHashMap<Integer, Long> victim = new BpfHashMap<>(MapFd.create(SPEC), SPEC, Codecs.U32, Codecs.U64);
      int oldNumber = victim.fd().acquire();
      victim.fd().release();
      Hammer hammer = new Hammer(HAMMERS, (t, i) -> {
        int key = t * 100_000 + i % 300; // no remove: a stray write must stay visible
        victim.set(key, (long) key);
        victim.get(key);
      });
      victim.close();
      awaitClosed(oldNumber);
      // A map of the same shape takes the number: a stray update through it would succeed silently.
      try (BpfHashMap<Integer, Long> bystander =
               new BpfHashMap<>(MapFd.create(SPEC), SPEC, Codecs.U32, Codecs.U64)) {
        int newNumber = bystander.fd().acquire();
        bystander.fd().release();
        if (newNumber == oldNumber) {
          reused++;
        }
        Thread.sleep(5); // the hammering goes on against the new owner of the number
        hammer.stop("round " + round);
        assertEquals(0, bystander.keys().size(), "round " + round + ": a closed handle wrote to fd "
            + newNumber + ", which now belongs to another map");
      }
      assertEquals("use on 'rel_victim': the handle is closed", hammer.closedMessage.get());
      assertThrows(BpfClosedException.class, () -> victim.get(1));
      closedSeen += hammer.closed.get();
      callsBeforeClose += hammer.calls.get();
    }
    System.out.printf("close under use: %d rounds x %d threads, %d set+get calls before close, %d"
        + " BpfClosedExceptions after, fd number reused at once in %d rounds%n",
        ROUNDS, HAMMERS, callsBeforeClose, closedSeen, reused);
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
      Hammer hammer = new Hammer(HAMMERS, (t, i) -> prog.testRun(frame, 1));
      old.close();
      awaitClosed(oldNumber);
      // A second copy: its fds take the freed numbers, its program most likely the old one's.
      try (BpfObject fresh = BpfObject.load(object);
          BpfArrayMap<Long> counts = new BpfArrayMap<>(fresh.mapFd("shared"), shared, Codecs.U64)) {
        BpfProgram freshProg = fresh.program("xdp_add");
        if (freshProg.acquire() == oldNumber) {
          reused++;
        }
        freshProg.release();
        Thread.sleep(5);
        hammer.stop("round " + round);
        assertEquals(0L, counts.get(0), "round " + round + ": a closed program's caller ran the new program");
      }
      assertEquals("use on 'xdp_add': the handle is closed", hammer.closedMessage.get());
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
    Set<String> bpfBefore = KernelTests.runtimeFds();
    long filesBefore = KernelTests.openFdCount();
    long t0 = System.nanoTime();
    for (int i = 0; i < PARSE_CYCLES; i++) {
      assertEquals(1, BpfObjectSpec.read(object).programs().size());
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < LOAD_CYCLES; i++) {
      try (BpfObject obj = BpfObjectSpec.read(object).load()) {
        assertEquals(2, obj.program("xdp_count").testRun(frame, 1).retval());
      }
    }
    long t2 = System.nanoTime();
    assertEquals(Set.of(), KernelTests.newFdsSince(bpfBefore), "BPF fds left open");
    // The object files are plain fds: a leak per cycle would show as thousands; a few may come and
    // go with class loading or another test's handle collected meanwhile.
    assertTrue(KernelTests.openFdCount() - filesBefore < 16, "file fds left open over the cycles");
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
      Set<String> bpfBefore = KernelTests.runtimeFds();
      for (int i = 0; i < 100; i++) {
        assertThrows(BpfLoadException.class, () -> BpfObject.load(object, o -> o.pinRoot(dir)));
      }
      assertEquals(Set.of(), KernelTests.newFdsSince(bpfBefore), "BPF fds left open by refused loads");
      assertEquals(0, dir.toFile().list().length, "pins left by refused loads");
    } finally {
      KernelTests.deleteTree(dir);
    }
  }
}
