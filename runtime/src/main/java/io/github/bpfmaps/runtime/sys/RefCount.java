package io.github.bpfmaps.runtime.sys;

import io.github.bpfmaps.errors.BpfClosedException;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A native resource (an fd, a mapping) shared by concurrent users and released exactly once, only
 * after its last user is done. Users bracket each use with {@link #tryAcquire()} / {@link
 * #release()}; {@link #run()} (the {@code close}, and the {@code Cleaner} action) marks it closing and
 * frees it at once if idle, otherwise the last {@code release} frees it. One atomic word, no
 * allocation, no lock; a closing resource refuses new users, so a freed number or address is never
 * used again by this owner.
 */
public abstract class RefCount implements Runnable {
  private static final int CLOSING = 1 << 30;
  private static final int DONE = 1 << 29;
  private static final int COUNT = DONE - 1;

  /** The one Cleaner (one daemon thread) of the runtime's native resources. */
  public static final Cleaner CLEANER = Cleaner.create();

  private final AtomicInteger word = new AtomicInteger();

  /** Releases the resource; called exactly once. Must not throw. */
  protected abstract void free();

  /** Counts one more user; false if closing (the caller must not touch the resource). */
  public final boolean tryAcquire() {
    for (;;) {
      int w = word.get();
      if ((w & CLOSING) != 0) {
        return false;
      }
      if ((w & COUNT) == COUNT) {
        throw new IllegalStateException("too many concurrent users of one native resource");
      }
      if (word.compareAndSet(w, w + 1)) {
        return true;
      }
    }
  }

  /**
   * Counts one more user, or refuses a closing resource with the exception every handle throws
   * for a use after close.
   *
   * @throws BpfClosedException naming {@code operation} and {@code target} if closing
   */
  public final void acquire(String operation, String target) {
    if (!tryAcquire()) {
      throw new BpfClosedException(operation, target);
    }
  }

  /** Ends a use; frees the resource if it is closing and this was the last user. */
  public final void release() {
    if (word.decrementAndGet() == CLOSING) {
      finish();
    }
  }

  /** Marks the resource closing and frees it now if no one uses it. Idempotent. */
  @Override
  public final void run() {
    for (;;) {
      int w = word.get();
      if ((w & CLOSING) != 0) {
        return;
      }
      if (word.compareAndSet(w, w | CLOSING)) {
        if ((w & COUNT) == 0) {
          finish();
        }
        return;
      }
    }
  }

  private void finish() {
    if (word.compareAndSet(CLOSING, CLOSING | DONE)) {
      free();
    }
  }

  /** True once {@link #run()} was called. */
  public final boolean closing() {
    return (word.get() & CLOSING) != 0;
  }

  /** True once the resource was actually freed. */
  public final boolean freed() {
    return (word.get() & DONE) != 0;
  }
}
