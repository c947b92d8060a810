package io.github.bpfmaps.errors;

/**
 * The errno values {@code bpf(2)} and its neighbours return, by number ({@code
 * include/uapi/asm-generic/errno-base.h}, {@code errno.h}; the same on x86-64 and arm64), with a
 * name, the C library's meaning and, where the cause in BPF terms is known, a hint on what to do.
 */
public final class Errno {
  private Errno() {}

  /** {@code EPERM} (1). */
  public static final int EPERM = 1;
  /** {@code ENOENT} (2). */
  public static final int ENOENT = 2;
  /** {@code ESRCH} (3). */
  public static final int ESRCH = 3;
  /** {@code EINTR} (4). */
  public static final int EINTR = 4;
  /** {@code EIO} (5). */
  public static final int EIO = 5;
  /** {@code ENXIO} (6). */
  public static final int ENXIO = 6;
  /** {@code E2BIG} (7). */
  public static final int E2BIG = 7;
  /** {@code EBADF} (9). */
  public static final int EBADF = 9;
  /** {@code EAGAIN} (11). */
  public static final int EAGAIN = 11;
  /** {@code ENOMEM} (12). */
  public static final int ENOMEM = 12;
  /** {@code EACCES} (13). */
  public static final int EACCES = 13;
  /** {@code EFAULT} (14). */
  public static final int EFAULT = 14;
  /** {@code EBUSY} (16). */
  public static final int EBUSY = 16;
  /** {@code EEXIST} (17). */
  public static final int EEXIST = 17;
  /** {@code EXDEV} (18). */
  public static final int EXDEV = 18;
  /** {@code ENODEV} (19). */
  public static final int ENODEV = 19;
  /** {@code ENOTDIR} (20). */
  public static final int ENOTDIR = 20;
  /** {@code EISDIR} (21). */
  public static final int EISDIR = 21;
  /** {@code EINVAL} (22). */
  public static final int EINVAL = 22;
  /** {@code ENFILE} (23). */
  public static final int ENFILE = 23;
  /** {@code EMFILE} (24). */
  public static final int EMFILE = 24;
  /** {@code ENOSPC} (28). */
  public static final int ENOSPC = 28;
  /** {@code ESPIPE} (29). */
  public static final int ESPIPE = 29;
  /** {@code EROFS} (30). */
  public static final int EROFS = 30;
  /** {@code ERANGE} (34). */
  public static final int ERANGE = 34;
  /** {@code ENOSYS} (38). */
  public static final int ENOSYS = 38;
  /** {@code ELOOP} (40). */
  public static final int ELOOP = 40;
  /** {@code ENAMETOOLONG} (36). */
  public static final int ENAMETOOLONG = 36;
  /** {@code ENOTEMPTY} (39). */
  public static final int ENOTEMPTY = 39;
  /** {@code ENOLINK} (67): a BPF link whose hook went away (its interface or cgroup). */
  public static final int ENOLINK = 67;
  /** {@code EOVERFLOW} (75). */
  public static final int EOVERFLOW = 75;
  /** {@code EBADFD} (77). */
  public static final int EBADFD = 77;
  /** {@code EOPNOTSUPP} (95). */
  public static final int EOPNOTSUPP = 95;
  /** {@code ETIMEDOUT} (110). */
  public static final int ETIMEDOUT = 110;
  /** Kernel-internal {@code ENOTSUPP} ({@code include/linux/errno.h}) that leaks to user space. */
  public static final int ENOTSUPP = 524;

  private static final String[][] TABLE = new String[525][];

  private static void def(int n, String name, String meaning, String hint) {
    TABLE[n] = new String[] {name, meaning, hint};
  }

  static {
    def(EPERM, "EPERM", "operation not permitted",
        "run as root or grant CAP_BPF (+ CAP_PERFMON for tracing, CAP_NET_ADMIN for networking"
            + " programs); check kernel.unprivileged_bpf_disabled and lockdown");
    def(ENOENT, "ENOENT", "no such file or directory",
        "the key, the map id or the pinned path does not exist");
    def(ESRCH, "ESRCH", "no such process", "");
    def(EINTR, "EINTR", "interrupted system call", "retry");
    def(EIO, "EIO", "input/output error", "");
    def(ENXIO, "ENXIO", "no such device or address", "");
    def(E2BIG, "E2BIG", "argument list too long",
        "the map is full (max_entries reached), or a size in bpf_attr is over the kernel's limit"
            + " (key/value size, a program longer than 1M instructions, attr larger than the kernel"
            + " knows with non-zero tail)");
    def(EBADF, "EBADF", "bad file descriptor", "the fd is closed or is not a BPF map/program");
    def(EAGAIN, "EAGAIN", "resource temporarily unavailable",
        "the verifier ran out of its budget or the kernel is busy; retry");
    def(ENOMEM, "ENOMEM", "cannot allocate memory",
        "kernel memory or memory cgroup limit (on kernels before 5.11 the RLIMIT_MEMLOCK limit:"
            + " raise `ulimit -l`); lower max_entries or the value size");
    def(EACCES, "EACCES", "permission denied",
        "run as root or grant CAP_BPF (+ CAP_PERFMON); for a program, the verifier refused it;"
            + " for a pinned path, the file mode or a read-only map (BPF_F_RDONLY)");
    def(EFAULT, "EFAULT", "bad address", "a pointer in bpf_attr is not readable/writable memory");
    def(EBUSY, "EBUSY", "device or resource busy",
        "the map is in use in a way that forbids this (frozen map with writable mmap, or busy lock)");
    def(EEXIST, "EEXIST", "file exists",
        "the key is already in the map (BPF_NOEXIST), or the pin path exists");
    def(EXDEV, "EXDEV", "invalid cross-device link", "the pin path is not on a bpffs mount");
    def(ENODEV, "ENODEV", "no such device", "");
    def(ENOTDIR, "ENOTDIR", "not a directory", "");
    def(EISDIR, "EISDIR", "is a directory", "");
    def(EINVAL, "EINVAL", "invalid argument",
        "an attribute the kernel refuses: a size, a flag, a map type or an operation this map type"
            + " does not support");
    def(ENFILE, "ENFILE", "too many open files in system", "");
    def(EMFILE, "EMFILE", "too many open files", "raise `ulimit -n` or close handles");
    def(ENOSPC, "ENOSPC", "no space left on device",
        "a buffer is too small (a batch smaller than a hash bucket, a verifier log truncated)");
    def(ESPIPE, "ESPIPE", "illegal seek", "");
    def(EROFS, "EROFS", "read-only file system", "");
    def(ERANGE, "ERANGE", "numerical result out of range", "");
    def(ENAMETOOLONG, "ENAMETOOLONG", "file name too long", "");
    def(ENOSYS, "ENOSYS", "function not implemented", "the kernel has no bpf(2) (CONFIG_BPF_SYSCALL)");
    def(ENOTEMPTY, "ENOTEMPTY", "directory not empty", "");
    def(ELOOP, "ELOOP", "too many levels of symbolic links", "");
    def(ENOLINK, "ENOLINK", "link has been severed", "the link's hook is gone (its interface or cgroup was removed)");
    def(EOVERFLOW, "EOVERFLOW", "value too large for defined data type", "");
    def(EBADFD, "EBADFD", "file descriptor in bad state",
        "the fd is not a BPF object (its number was closed and reused by another file)");
    def(EOPNOTSUPP, "EOPNOTSUPP", "operation not supported",
        "this map or program type does not support the operation");
    def(ETIMEDOUT, "ETIMEDOUT", "connection timed out", "");
    def(ENOTSUPP, "ENOTSUPP", "operation not supported (kernel-internal ENOTSUPP)",
        "this map type has no such operation in this kernel (batch operations, for example)");
  }

  /** The symbolic name, such as {@code EEXIST}, or {@code errno N} for a number not in the table. */
  public static String name(int errno) {
    String[] e = errno > 0 && errno < TABLE.length ? TABLE[errno] : null;
    return e != null ? e[0] : "errno " + errno;
  }

  /** The C library's text, such as {@code file exists}. */
  public static String meaning(int errno) {
    String[] e = errno > 0 && errno < TABLE.length ? TABLE[errno] : null;
    return e != null ? e[1] : "unknown error";
  }

  /** What the errno usually means for BPF and what to do; empty when there is nothing to add. */
  public static String hint(int errno) {
    String[] e = errno > 0 && errno < TABLE.length ? TABLE[errno] : null;
    return e != null ? e[2] : "";
  }

  /** {@code NAME: meaning — hint}, the form every runtime message uses. */
  public static String describe(int errno) {
    String h = hint(errno);
    return name(errno) + ": " + meaning(errno) + (h.isEmpty() ? "" : " — " + h);
  }
}
