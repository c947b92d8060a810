package io.github.bpfmaps.runtime;

import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.OwnedFd;
import io.github.bpfmaps.runtime.sys.RefCount;

/**
 * The kernel's per-program run statistics ({@code run_cnt}, {@code run_time_ns} of {@code
 * bpf_prog_info}, read with {@link BpfProgram#info()}), switched on for as long as this handle is
 * open: {@code BPF_ENABLE_STATS} with {@code BPF_STATS_RUN_TIME} returns an fd, and the kernel keeps
 * counting while any such fd is open ({@code bpf_stats_enabled_key} in {@code kernel/bpf/syscall.c}),
 * so this never touches the global sysctl {@code kernel.bpf_stats_enabled} and a crashed process
 * turns it off by exiting. Counting costs each program run two clock reads.
 *
 * <p>Close it when done (a {@code Cleaner} closes a forgotten one). Thread-safe.
 */
public final class BpfRunTimeStats implements AutoCloseable {
  private final OwnedFd fd;

  private BpfRunTimeStats(int fd) {
    this.fd = new OwnedFd(fd);
    RefCount.CLEANER.register(this, this.fd);
  }

  /**
   * Turns run-time statistics on (one system call).
   *
   * @throws BpfSyscallException with EPERM without CAP_SYS_ADMIN, EINVAL before Linux 5.8
   */
  public static BpfRunTimeStats enable() {
    return new BpfRunTimeStats(BpfSys.enableStats(BpfSys.BPF_STATS_RUN_TIME));
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return !fd.tryAcquire() || releaseAndFalse();
  }

  private boolean releaseAndFalse() {
    fd.release();
    return false;
  }

  /** Closes the fd: the kernel stops counting unless another holder (or the sysctl) keeps it on. */
  @Override
  public void close() {
    fd.run();
  }
}
