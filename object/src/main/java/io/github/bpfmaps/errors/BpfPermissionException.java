package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

/** EPERM or EACCES: the process lacks the capability (run as root or grant CAP_BPF, + CAP_PERFMON), or a file mode or the verifier refused access. */
public class BpfPermissionException extends BpfSyscallException {
  private static final long serialVersionUID = 1L;

  private BpfPermissionException(String operation, @Nullable String target, int errno, String message, boolean exact) {
    super(operation, target, errno, message, exact);
  }

  /**
   * A refusal whose cause is known (a frozen map, for one): the message reads {@code OPERATION on
   * 'target': NAME: reason}, without the capability hint. No system call.
   */
  public static BpfPermissionException because(String operation, @Nullable String target, int errno, String reason) {
    return new BpfPermissionException(operation, target, errno, operation
        + (target == null ? "" : " on '" + target + "'") + ": " + Errno.name(errno) + ": " + reason, true);
  }

  /** See {@link BpfSyscallException#BpfSyscallException}. */
  public BpfPermissionException(String operation, @Nullable String target, int errno, @Nullable String detail) {
    super(operation, target, errno, detail);
  }
}
