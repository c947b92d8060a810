package io.github.bpfmaps.runtime.sys;

import com.sun.jna.LastErrorException;

/**
 * A kernel fd (a map, a program) with its use count: {@link RefCount} whose release is {@code
 * close(2)}. Kept apart from the handle that owns it so that the handle's {@code Cleaner} does not
 * keep the handle reachable.
 */
public final class OwnedFd extends RefCount {
  /** The fd number; valid while a {@link #tryAcquire()} is held. */
  public final int fd;

  /** Takes ownership of {@code fd}. */
  public OwnedFd(int fd) {
    this.fd = fd;
  }

  @Override
  protected void free() {
    try {
      LibC.close(fd);
    } catch (LastErrorException e) {
      // close(2) releases the number even when it reports an error; nothing to retry.
    }
  }
}
