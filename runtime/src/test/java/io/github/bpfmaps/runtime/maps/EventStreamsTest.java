package io.github.bpfmaps.runtime.maps;

import static io.github.bpfmaps.runtime.maps.BpfPerfEventArrayTest.ONLINE;
import static io.github.bpfmaps.runtime.maps.BpfPerfEventArrayTest.pinTo;
import static io.github.bpfmaps.runtime.maps.BpfPerfEventArrayTest.producer;
import static io.github.bpfmaps.runtime.maps.BpfPerfEventArrayTest.run;
import static io.github.bpfmaps.runtime.maps.BpfPerfEventArrayTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.BpfSys;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Read loops and the Flow.Publisher over a perf event reader fed by an XDP test run. */
class EventStreamsTest {
  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  @AfterEach
  void unpin() {
    pinTo(ONLINE);
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(5);
    }
  }

  /** Records what a subscriber saw. */
  static final class Recorder implements Flow.Subscriber<Long> {
    final List<Long> items = new CopyOnWriteArrayList<>();
    final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    volatile Throwable error;
    volatile boolean complete;
    final long initial;

    Recorder(long initial) {
      this.initial = initial;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.set(s);
      if (initial > 0) {
        s.request(initial);
      }
    }

    @Override
    public void onNext(Long item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {
      complete = true;
    }
  }

  @Test
  void aLoopReadsOnTheCallersThreadsUntilClosed() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    ThreadFactory mine = r -> new Thread(r, "events-test-reader");
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open()) {
      int prog = producer(perf, 5);
      try (EventStreams.Loop loop = EventStreams.loop(mine, perf::poll, v -> threads.add(Thread.currentThread().getName()))) {
        run(prog, 5);
        await(() -> loop.delivered() == 5, "five events");
        assertEquals(List.of("events-test-reader", "events-test-reader", "events-test-reader",
            "events-test-reader", "events-test-reader"), threads);
        loop.close();
        assertFalse(loop.isRunning());
        assertNull(loop.failure());
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void virtualThreadsWhereTheJvmHasThem() throws Exception {
    ThreadFactory f = EventStreams.virtualThreadsIfAvailable("events-vt");
    AtomicReference<Thread> seen = new AtomicReference<>();
    Thread t = f.newThread(() -> seen.set(Thread.currentThread()));
    t.start();
    t.join();
    if (Runtime.version().feature() >= 21) {
      assertEquals(true, Thread.class.getMethod("isVirtual").invoke(seen.get()));
    } else {
      assertTrue(seen.get().isDaemon(), "a daemon platform thread before Java 21");
      assertEquals("events-vt", seen.get().getName());
    }
  }

  @Test
  void withoutDemandThePublisherStopsReadingAndTheKernelCountsTheDrops() throws Exception {
    PerfOptions small = PerfOptions.defaults().pages(1).cpus(ONLINE[0]);
    try (var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open(small)) {
      int prog = producer(perf, 11);
      try {
        Recorder r = new Recorder(3);
        EventStreams.publisher(r2 -> new Thread(r2, "events-pub"), perf::poll).subscribe(r);
        pinTo(ONLINE[0]);
        run(prog, 1000); // 24 KB for a 4 KB ring
        await(() -> r.items.size() == 3, "three events");
        Thread.sleep(300);
        assertEquals(3, r.items.size(), "no more than requested");
        r.subscription.get().request(Long.MAX_VALUE);
        await(() -> r.items.size() >= 100, "the rest of the ring");
        Thread.sleep(200);
        int before = r.items.size();
        assertTrue(before < 1000, "a 4 KB ring held " + before);
        run(prog, 1); // brings the kernel's PERF_RECORD_LOST
        await(() -> r.items.size() == before + 1, "one more");
        assertEquals(1001 - r.items.size(), perf.lost(), "what was not read was dropped and counted");
        r.subscription.get().cancel();
        assertNull(r.error);
      } finally {
        BpfSys.close(prog);
      }
    }
  }

  @Test
  void closingTheReaderCompletesAndASecondSubscriberIsRefused() throws Exception {
    var perf = new BpfPerfEventArray<>(MapFd.create(spec()), spec(), Codecs.U64).open();
    Flow.Publisher<Long> p = EventStreams.publisher(r -> new Thread(r, "events-pub2"), perf::poll);
    Recorder first = new Recorder(Long.MAX_VALUE);
    p.subscribe(first);
    Recorder second = new Recorder(1);
    p.subscribe(second);
    assertTrue(second.error instanceof IllegalStateException, String.valueOf(second.error));
    perf.close();
    await(() -> first.complete, "onComplete after close");
    assertNull(first.error);
  }
}
