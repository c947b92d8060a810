package io.github.bpfmaps.runtime;

import org.jspecify.annotations.Nullable;

/** EPERM or EACCES: the process lacks the capability (run as root or grant CAP_BPF, + CAP_PERFMON), or a file mode or the verifier refused access. */
public class BpfPermissionException extends BpfSyscallException {
  private static final long serialVersionUID = 1L;

  /** See {@link BpfSyscallException#BpfSyscallException}. */
  public BpfPermissionException(String operation, @Nullable String target, int errno, @Nullable String detail) {
    super(operation, target, errno, detail);
  }
}
