package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.errors.BpfClosedException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Event readers as streams: a blocking read loop on a thread of the caller's choosing ({@link
 * #loop}), and a {@link Flow.Publisher} with backpressure ({@link #publisher}). Both run any {@link
 * EventPoller}: {@code ring::poll}, {@code perf::poll}.
 *
 * <p>Backpressure is real: without demand the publisher stops reading, the kernel's ring fills, and
 * the producer's further events are dropped and counted by the kernel ({@link
 * BpfPerfEventArray#lost()}, {@link BpfRingBuf#dropped()}) instead of piling up in the JVM. At most one
 * event is held between reads. Stopping takes up to the poll timeout (100 ms by default), the time
 * the reading thread may wait in {@code epoll_wait}.
 */
public final class EventStreams {
  private EventStreams() {}

  /** How long one read waits before the loop checks whether it should stop. */
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);

  /**
   * Thrown through a reader's poll to end a read when demand is used up; the reader has consumed the
   * record in hand already (both readers advance past a record before delivering it). One instance,
   * no stack trace: no allocation.
   */
  private static final class Stop extends RuntimeException {
    static final Stop INSTANCE = new Stop();

    private Stop() {
      super("demand used up", null, false, false);
    }
  }

  /** A running read loop: {@link #close()} stops it. */
  public static final class Loop implements AutoCloseable {
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong delivered = new AtomicLong();
    private volatile @Nullable Throwable failure;

    private Loop(ThreadFactory threads, EventPoller<?> poller, Consumer<?> action, Duration timeout) {
      @SuppressWarnings("unchecked")
      EventPoller<Object> p = (EventPoller<Object>) poller;
      @SuppressWarnings("unchecked")
      Consumer<Object> a = (Consumer<Object>) action;
      this.thread = threads.newThread(() -> {
        try {
          while (!stop.get()) {
            delivered.addAndGet(p.poll(timeout, a));
          }
        } catch (BpfClosedException closed) {
          // the reader was closed: the loop ends quietly
        } catch (Throwable t) {
          failure = t;
        }
      });
      thread.start();
    }

    /** Events delivered so far. */
    public long delivered() {
      return delivered.get();
    }

    /** What ended the loop (an exception of the action or the reader), or null. */
    public @Nullable Throwable failure() {
      return failure;
    }

    /** True while the loop's thread runs. */
    public boolean isRunning() {
      return thread.isAlive();
    }

    /**
     * Asks the loop to stop and waits for its thread (at most the poll timeout after the current
     * action returns). Does not close the reader. Idempotent.
     */
    @Override
    public void close() {
      stop.set(true);
      boolean interrupted = false;
      while (thread.isAlive() && Thread.currentThread() != thread) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts a thread from {@code threads} that reads with {@code poller} and passes each event to
   * {@code action} until the returned loop is closed, the reader is closed, or the action or reader
   * throws (then {@link Loop#failure()} says what).
   */
  public static <V> Loop loop(ThreadFactory threads, EventPoller<V> poller, Consumer<? super V> action) {
    return new Loop(threads, poller, action, DEFAULT_POLL_TIMEOUT);
  }

  /**
   * A thread factory for read loops: virtual threads on Java 21 and later ({@code
   * Thread.ofVirtual().factory()}, found by reflection so the runtime still runs on 17), daemon
   * platform threads named {@code name} before.
   */
  public static ThreadFactory virtualThreadsIfAvailable(String name) {
    try {
      MethodHandles.Lookup l = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Object b = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)).invoke();
      MethodHandle named = l.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
      b = named.invoke(b, name);
      return (ThreadFactory) l.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class)).invoke(b);
    } catch (Throwable noVirtualThreads) {
      return r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      };
    }
  }

  /**
   * A publisher of the events {@code poller} reads, for one subscriber (events are delivered once;
   * a second subscriber gets {@code onError}). Each subscription reads on its own thread from {@code
   * threads}, only while there is demand. {@code onComplete} follows when the reader is closed;
   * {@code onError} when it fails or {@code onNext} throws. Cancelling stops the reads (the reader
   * stays open: whoever opened it closes it).
   */
  public static <V> Flow.Publisher<V> publisher(ThreadFactory threads, EventPoller<V> poller) {
    Objects.requireNonNull(threads, "threads");
    Objects.requireNonNull(poller, "poller");
    AtomicBoolean taken = new AtomicBoolean();
    return subscriber -> {
      Objects.requireNonNull(subscriber, "subscriber");
      if (!taken.compareAndSet(false, true)) {
        subscriber.onSubscribe(new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
        subscriber.onError(new IllegalStateException("this event publisher has a subscriber already: "
            + "each event is delivered once, so a reader serves one subscriber"));
        return;
      }
      Subscription<V> s = new Subscription<>(subscriber, poller);
      Thread t = threads.newThread(s);
      s.thread = t;
      subscriber.onSubscribe(s);
      t.start();
    };
  }

  private static final class Subscription<V> implements Flow.Subscription, Runnable {
    private final Flow.Subscriber<? super V> subscriber;
    private final EventPoller<V> poller;
    private final AtomicLong demand = new AtomicLong();
    private volatile boolean cancelled;
    private volatile @Nullable Thread thread;
    private volatile long badRequest;

    Subscription(Flow.Subscriber<? super V> subscriber, EventPoller<V> poller) {
      this.subscriber = subscriber;
      this.poller = poller;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        badRequest = n; // Reactive Streams §3.9: signalled as onError from the reading thread
      } else {
        demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      }
      wake();
    }

    @Override
    public void cancel() {
      cancelled = true;
      wake();
    }

    private void wake() {
      Thread t = thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }

    private void deliver(V value) {
      subscriber.onNext(value);
      long d = demand.get();
      if (d != Long.MAX_VALUE && demand.decrementAndGet() == 0) {
        throw Stop.INSTANCE; // the reader keeps the rest in the kernel ring
      }
      if (cancelled) {
        throw Stop.INSTANCE;
      }
    }

    @Override
    public void run() {
      Consumer<V> action = this::deliver;
      try {
        while (!cancelled) {
          if (badRequest != 0) {
            cancelled = true;
            subscriber.onError(new IllegalArgumentException("Subscription.request(" + badRequest
                + "): demand must be positive (Reactive Streams rule 3.9)"));
            return;
          }
          if (demand.get() == 0) {
            // No demand: read nothing, so the ring fills and the kernel counts what it drops.
            LockSupport.parkNanos(this, DEFAULT_POLL_TIMEOUT.toNanos());
            continue;
          }
          try {
            poller.poll(DEFAULT_POLL_TIMEOUT, action);
          } catch (Stop stop) {
            // demand used up or cancelled mid-read
          }
        }
      } catch (BpfClosedException closed) {
        if (!cancelled) {
          cancelled = true;
          subscriber.onComplete();
        }
      } catch (Throwable t) {
        if (!cancelled) {
          cancelled = true;
          subscriber.onError(t);
        }
      }
    }
  }
}
