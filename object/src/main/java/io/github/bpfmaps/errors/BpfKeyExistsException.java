package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

/** EEXIST: the key is already in the map (an update with {@link UpdateFlag#NOEXIST}) or a pin path already exists. */
public class BpfKeyExistsException extends BpfSyscallException {
  private static final long serialVersionUID = 1L;

  /** See {@link BpfSyscallException#BpfSyscallException}. */
  public BpfKeyExistsException(String operation, @Nullable String target, int errno, @Nullable String detail) {
    super(operation, target, errno, detail);
  }
}
