package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

/** ENOENT: the key is not in the map (an update with {@link UpdateFlag#EXIST}, a delete), or no map has that id, or nothing is pinned at that path. */
public class BpfNotFoundException extends BpfSyscallException {
  private static final long serialVersionUID = 1L;

  /** See {@link BpfSyscallException#BpfSyscallException}. */
  public BpfNotFoundException(String operation, @Nullable String target, int errno, @Nullable String detail) {
    super(operation, target, errno, detail);
  }
}
