package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

/** E2BIG on an update: the map already holds {@code max_entries} entries (or, for an array, the index is past the end). */
public class BpfMapFullException extends BpfSyscallException {
  private static final long serialVersionUID = 1L;

  /** See {@link BpfSyscallException#BpfSyscallException}. */
  public BpfMapFullException(String operation, @Nullable String target, int errno, @Nullable String detail) {
    super(operation, target, errno, detail);
  }
}
