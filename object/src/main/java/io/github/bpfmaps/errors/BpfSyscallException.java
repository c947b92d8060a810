package io.github.bpfmaps.errors;

import org.jspecify.annotations.Nullable;

/**
 * The kernel refused a system call. The message reads {@code OPERATION on 'target': NAME: meaning —
 * hint}; {@link #errno()}, {@link #errnoName()} and {@link #operation()} give the parts. The common
 * cases have their own subclasses ({@link BpfPermissionException}, {@link BpfKeyExistsException},
 * {@link BpfNotFoundException}, {@link BpfMapFullException}, {@link BpfLoadException}); use {@link
 * #of} to get the right one for an errno.
 */
public class BpfSyscallException extends BpfException {
  private static final long serialVersionUID = 1L;

  /**
   * @param operation the command, such as {@code BPF_MAP_UPDATE_ELEM}
   * @param target the map, program, or path concerned
   * @param errno the kernel's errno (positive)
   * @param detail extra context put before the errno text, or null
   */
  public BpfSyscallException(String operation, @Nullable String target, int errno, @Nullable String detail) {
    super(operation, target, errno, message(operation, target, errno, detail));
  }

  /**
   * For subclasses that compose their whole message themselves (no errno hint appended).
   *
   * @param message the complete message
   * @param exact marks this form; always true
   */
  protected BpfSyscallException(String operation, @Nullable String target, int errno, String message, boolean exact) {
    super(operation, target, errno, message);
  }

  /**
   * A pin or a pinned-object open refused because {@code path} is not on a bpf file system: the
   * kernel says EPERM (pin) or EACCES/EINVAL (get), whose usual hint, a missing capability, would
   * mislead. No system call.
   *
   * @param fsType the type of the file system the path is on, such as {@code ext4} or {@code tmpfs}
   */
  public static BpfSyscallException notOnBpffs(String operation, String path, int errno, String fsType) {
    return new BpfSyscallException(operation, path, errno, operation + " on '" + path + "': "
        + Errno.name(errno) + ": the path is not on a bpf file system (it is on " + fsType + "); pin under"
        + " a bpffs mount such as /sys/fs/bpf, or mount one with `mount -t bpf bpf /sys/fs/bpf`", true);
  }

  /**
   * A refusal whose cause is known better than the errno's usual hint says: the message reads
   * {@code OPERATION on 'target': NAME: reason}. The plain class, whatever the errno (an EACCES
   * that is not about permission is not a {@link BpfPermissionException}). No system call.
   *
   * @param reason what the errno means here and what to do
   */
  public static BpfSyscallException because(String operation, @Nullable String target, int errno, String reason) {
    return new BpfSyscallException(operation, target, errno, operation
        + (target == null ? "" : " on '" + target + "'") + ": " + Errno.name(errno) + ": " + reason, true);
  }

  /** The errno's symbolic name, such as {@code EEXIST}. */
  public String errnoName() {
    return Errno.name(errno());
  }

  static String message(String operation, @Nullable String target, int errno, @Nullable String detail) {
    return operation
        + (target == null ? "" : " on '" + target + "'")
        + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")")
        + ": " + describe(errno);
  }

  /**
   * The errno's name, meaning and usual hint; but EPERM and EACCES in a process that has every
   * capability BPF can ask for (root) are never a missing capability, so the hint says what they
   * can be instead of "run as root". Reads {@code /proc/self/status} for those two errnos only.
   */
  private static String describe(int errno) {
    if ((errno == Errno.EPERM || errno == Errno.EACCES) && Capabilities.hasEveryBpfCapability()) {
      return Errno.name(errno) + ": " + Errno.meaning(errno) + " — not a missing capability (this process"
          + " has CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN): "
          + (errno == Errno.EPERM
              ? "a frozen or read-only map, a kernel lockdown, an LSM or a sysctl refuses it"
              : "the verifier, the file mode of a pin, or a read-only map (BPF_F_RDONLY) refuses it");
    }
    return Errno.describe(errno);
  }

  /**
   * The exception for {@code errno}: a subclass for EPERM/EACCES, EEXIST, ENOENT and E2BIG on an
   * update, the base class otherwise. Allocates the exception; no system call.
   */
  public static BpfSyscallException of(
      String operation, @Nullable String target, int errno, @Nullable String detail) {
    switch (errno) {
      case Errno.EPERM:
      case Errno.EACCES:
        return new BpfPermissionException(operation, target, errno, detail);
      case Errno.EEXIST:
        return new BpfKeyExistsException(operation, target, errno, detail);
      case Errno.ENOENT:
        return new BpfNotFoundException(operation, target, errno, detail);
      case Errno.E2BIG:
        if (operation.startsWith("BPF_MAP_UPDATE")) {
          return new BpfMapFullException(operation, target, errno, detail);
        }
        return new BpfSyscallException(operation, target, errno, detail);
      default:
        return new BpfSyscallException(operation, target, errno, detail);
    }
  }
}
