package io.github.bpfmaps.runtime.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The few libc functions the runtime needs, bound by JNA <em>direct mapping</em> ({@link
 * Native#register}): each call is one JNI transition with primitive arguments, no {@code
 * Structure}, no {@code Memory}, no reflection per call. Every pointer is passed as a {@code long}
 * native address, so callers own their buffers (per-thread direct {@code ByteBuffer}s, see {@link
 * Scratch}).
 *
 * <p>Functions that set {@code errno} throw {@link LastErrorException}; {@link BpfSys} turns that
 * into a {@code BpfException} naming the operation and the errno.
 */
public final class LibC {
  private LibC() {}

  static {
    Native.register(LibC.class, "c");
  }

  /** {@code fcntl} command: duplicate to the lowest free fd ≥ arg, with close-on-exec. */
  public static final int F_DUPFD_CLOEXEC = 1030;
  /** {@code mmap} protection: readable. */
  public static final int PROT_READ = 1;
  /** {@code mmap} protection: writable. */
  public static final int PROT_WRITE = 2;
  /** {@code mmap} flag: changes are shared with the kernel object. */
  public static final int MAP_SHARED = 1;
  /** {@code mmap} flag: private copy-on-write pages ({@code asm-generic/mman-common.h}). */
  public static final int MAP_PRIVATE = 2;
  /** {@code mmap} flag: place the mapping exactly at the address, replacing what was there. */
  public static final int MAP_FIXED = 0x10;
  /** {@code mmap} flag: zero-filled memory backed by no file. */
  public static final int MAP_ANONYMOUS = 0x20;
  /** {@code epoll_create1} flag: close-on-exec. */
  public static final int EPOLL_CLOEXEC = 0x80000;
  /** {@code epoll_ctl} operation: add an fd. */
  public static final int EPOLL_CTL_ADD = 1;
  /** {@code epoll} event: readable. */
  public static final int EPOLLIN = 1;

  /**
   * {@code syscall} bound without {@code throws LastErrorException}: a failure returns -1 and leaves
   * errno in {@link Native#getLastError()} (JNA saves it per thread after every call). {@link
   * Syscall} uses it for every {@code bpf(2)} because an absent key is an ordinary answer for the
   * element operations, and building the exception costs several times the system call (measured
   * here: a missed lookup 3.5–7.7 µs with the exception, about 0.6 µs without; a hit about 1 µs).
   */
  public static final class NoThrow {
    private NoThrow() {}

    static {
      Native.register(NoThrow.class, "c");
    }

    /**
     * {@code long syscall(long number, ...)}; -1 on failure, errno in {@link Native#getLastError()}.
     * Variadic in C, but on x86-64 and arm64 Linux integer arguments travel in the same registers
     * whether variadic or not, and glibc's {@code syscall} reads no vector registers, so a fixed
     * four-{@code long} signature is exact for {@code bpf(int cmd, union bpf_attr *attr, unsigned
     * int size)}.
     */
    public static native long syscall(long number, long cmd, long attrAddress, long size);
  }

  /** {@code int close(int fd)}. */
  public static native int close(int fd) throws LastErrorException;

  /** {@code int fcntl(int fd, int cmd, int arg)}: used with {@link #F_DUPFD_CLOEXEC}. */
  public static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

  /** {@code void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)}. */
  public static native long mmap(long address, long length, int prot, int flags, int fd, long offset)
      throws LastErrorException;

  /** {@code int munmap(void *addr, size_t len)}. */
  public static native int munmap(long address, long length) throws LastErrorException;

  /** {@code int epoll_create1(int flags)}. */
  public static native int epoll_create1(int flags) throws LastErrorException;

  /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)}. */
  public static native int epoll_ctl(int epfd, int op, int fd, long eventAddress)
      throws LastErrorException;

  /** {@code int epoll_wait(int epfd, struct epoll_event *events, int max, int timeoutMs)}. */
  public static native int epoll_wait(int epfd, long eventsAddress, int maxEvents, int timeoutMs)
      throws LastErrorException;

  /**
   * {@code int ioctl(int fd, unsigned long request, unsigned long arg)}: perf event control ({@link
   * PerfEvent}), where {@code arg} is an integer or a native address.
   */
  public static native int ioctl(int fd, long request, long arg) throws LastErrorException;

  /**
   * {@code long syscall(long number, ...)} with five arguments, for the system calls glibc has no
   * wrapper for ({@code perf_event_open}). Throws with errno on failure; not for hot paths (the
   * {@code bpf(2)} path uses {@link NoThrow#syscall}).
   */
  public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5)
      throws LastErrorException;

  /** {@code open} flags: read only, a directory, close-on-exec ({@code O_RDONLY|O_DIRECTORY|O_CLOEXEC}). */
  public static final int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;

  /** {@code int open(const char *path, int flags)}: a cgroup directory's fd for {@code BPF_LINK_CREATE}. */
  public static native int open(String path, int flags) throws LastErrorException;
  /**
   * {@code int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *mask)}: with pid 0, moves
   * the calling thread to the CPUs of the bit mask at {@code maskAddress} (used to run a program
   * test on a chosen CPU, whose per-CPU ring then receives its events).
   */
  public static native int sched_setaffinity(int pid, long size, long maskAddress) throws LastErrorException;

  /** {@code long sysconf(int name)}: used for the page size. */
  public static native long sysconf(int name);

  /** {@code sysconf} name of the page size ({@code _SC_PAGESIZE} in glibc). */
  public static final int SC_PAGESIZE = 30;
}
