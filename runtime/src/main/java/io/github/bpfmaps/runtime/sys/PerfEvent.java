package io.github.bpfmaps.runtime.sys;

import com.sun.jna.LastErrorException;
import io.github.bpfmaps.errors.BpfSyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * {@code perf_event_open(2)} and the {@code ioctl}s on its fd: the one binding for everything that
 * needs a perf event (tracepoint, kprobe and uprobe attachment through a perf event, sampling
 * programs, and the per-CPU rings of a {@code PERF_EVENT_ARRAY}). Layouts and numbers are those of
 * {@code include/uapi/linux/perf_event.h}.
 *
 * <p>An {@link Attr} is built in Java and written into a fresh, zeroed {@code struct
 * perf_event_attr} of {@link #ATTR_SIZE} bytes at {@link #open}; the kernel accepts any size it
 * knows ({@code PERF_ATTR_SIZE_VER8}) and requires the bytes beyond the fields we set to be zero.
 */
public final class PerfEvent {
  private PerfEvent() {}

  /** {@code sizeof(struct perf_event_attr)} as of {@code PERF_ATTR_SIZE_VER8} (Linux 6.3). */
  public static final int ATTR_SIZE = 136;

  /** {@code perf_type_id}: hardware events. */
  public static final int TYPE_HARDWARE = 0;
  /** {@code perf_type_id}: software events ({@code PERF_COUNT_SW_*}). */
  public static final int TYPE_SOFTWARE = 1;
  /** {@code perf_type_id}: tracepoints; {@code config} is the tracepoint id from tracefs. */
  public static final int TYPE_TRACEPOINT = 2;

  /** {@code PERF_COUNT_HW_CPU_CYCLES}. */
  public static final long COUNT_HW_CPU_CYCLES = 0;
  /** {@code PERF_COUNT_SW_CPU_CLOCK}. */
  public static final long COUNT_SW_CPU_CLOCK = 0;
  /** {@code PERF_COUNT_SW_TASK_CLOCK}. */
  public static final long COUNT_SW_TASK_CLOCK = 1;
  /** {@code PERF_COUNT_SW_BPF_OUTPUT}: the event behind each ring of a {@code PERF_EVENT_ARRAY}. */
  public static final long COUNT_SW_BPF_OUTPUT = 10;

  /** {@code PERF_SAMPLE_RAW}: samples carry the raw bytes {@code bpf_perf_event_output} wrote. */
  public static final long SAMPLE_RAW = 1L << 10;

  /** {@code PERF_FLAG_FD_CLOEXEC}. */
  public static final long FLAG_FD_CLOEXEC = 1L << 3;

  /** {@code PERF_EVENT_IOC_ENABLE} = {@code _IO('$', 0)}. */
  public static final long IOC_ENABLE = 0x2400;
  /** {@code PERF_EVENT_IOC_DISABLE} = {@code _IO('$', 1)}. */
  public static final long IOC_DISABLE = 0x2401;
  /** {@code PERF_EVENT_IOC_SET_BPF} = {@code _IOW('$', 8, __u32)}. */
  public static final long IOC_SET_BPF = 0x40042408L;

  // Bit positions in the u64 of flags at offset 40 (disabled:1, inherit:1, pinned:1, ...).
  private static final int BIT_DISABLED = 0;
  private static final int BIT_INHERIT = 1;
  private static final int BIT_EXCLUDE_KERNEL = 5;
  private static final int BIT_EXCLUDE_HV = 6;
  private static final int BIT_FREQ = 10;
  private static final int BIT_WATERMARK = 14;

  /** {@code __NR_perf_event_open} on the architectures the runtime supports. */
  static long nrPerfEventOpen(String arch) {
    switch (arch) {
      case "amd64":
      case "x86_64":
        return 298;
      case "aarch64":
      case "arm64":
        return 241;
      default:
        throw new UnsupportedOperationException("perf_event_open: unsupported architecture " + arch);
    }
  }

  private static final long NR_PERF_EVENT_OPEN = nrPerfEventOpen(System.getProperty("os.arch", ""));

  /**
   * What goes into a {@code struct perf_event_attr}. Plain and mutable: fill what the event needs;
   * everything else stays zero.
   */
  public static final class Attr {
    /** {@code type}: {@link #TYPE_SOFTWARE}, {@link #TYPE_TRACEPOINT}, or a PMU's dynamic type. */
    public int type;
    /** {@code config}: the event within its type (a tracepoint id, {@code PERF_COUNT_SW_*}). */
    public long config;
    /** {@code sample_period}, or {@code sample_freq} when {@link #freq} is set. */
    public long samplePeriod;
    /** {@code sample_type} bits ({@link #SAMPLE_RAW}). */
    public long sampleType;
    /** {@code wakeup_events}, or {@code wakeup_watermark} (bytes) when {@link #watermark} is set. */
    public int wakeup;
    /** {@code config1}: for uprobe/kprobe PMUs, the address of the path or symbol (C string). */
    public long config1;
    /** {@code config2}: for uprobe/kprobe PMUs, the offset. */
    public long config2;
    /** Start disabled ({@code PERF_EVENT_IOC_ENABLE} enables). */
    public boolean disabled;
    /** Children inherit the event. */
    public boolean inherit;
    /** Count user space only. */
    public boolean excludeKernel;
    /** Do not count the hypervisor. */
    public boolean excludeHv;
    /** {@link #samplePeriod} is a frequency in Hz. */
    public boolean freq;
    /** {@link #wakeup} is a byte watermark, not a number of events. */
    public boolean watermark;

    void writeTo(ByteBuffer b) {
      b.putInt(0, type);
      b.putInt(4, ATTR_SIZE);
      b.putLong(8, config);
      b.putLong(16, samplePeriod);
      b.putLong(24, sampleType);
      long bits = 0;
      bits |= disabled ? 1L << BIT_DISABLED : 0;
      bits |= inherit ? 1L << BIT_INHERIT : 0;
      bits |= excludeKernel ? 1L << BIT_EXCLUDE_KERNEL : 0;
      bits |= excludeHv ? 1L << BIT_EXCLUDE_HV : 0;
      bits |= freq ? 1L << BIT_FREQ : 0;
      bits |= watermark ? 1L << BIT_WATERMARK : 0;
      b.putLong(40, bits);
      b.putInt(48, wakeup);
      b.putLong(56, config1);
      b.putLong(64, config2);
    }
  }

  /**
   * {@code perf_event_open(attr, pid, cpu, groupFd, flags | PERF_FLAG_FD_CLOEXEC)}: one system
   * call. Returns the new fd, owned by the caller.
   *
   * @param target what the event is for, named in the error (a tracepoint, a CPU, a map)
   * @throws BpfSyscallException with the errno when the kernel refuses
   */
  public static int open(Attr attr, int pid, int cpu, int groupFd, long flags, @Nullable String target) {
    ByteBuffer b = ByteBuffer.allocateDirect(ATTR_SIZE).order(ByteOrder.nativeOrder());
    attr.writeTo(b);
    try {
      return (int)
          LibC.syscall(
              NR_PERF_EVENT_OPEN,
              Scratch.address(b),
              pid,
              cpu,
              groupFd,
              flags | FLAG_FD_CLOEXEC);
    } catch (LastErrorException e) {
      throw BpfSyscallException.of("perf_event_open", target, e.getErrorCode(), null);
    }
  }

  /**
   * {@code ioctl(fd, request, arg)} on a perf event fd: one system call.
   *
   * @throws BpfSyscallException with the errno when the kernel refuses
   */
  public static void ioctl(int fd, long request, long arg, @Nullable String target) {
    try {
      LibC.ioctl(fd, request, arg);
    } catch (LastErrorException e) {
      throw BpfSyscallException.of("ioctl(" + iocName(request) + ")", target, e.getErrorCode(), null);
    }
  }

  private static String iocName(long request) {
    if (request == IOC_ENABLE) {
      return "PERF_EVENT_IOC_ENABLE";
    } else if (request == IOC_DISABLE) {
      return "PERF_EVENT_IOC_DISABLE";
    } else if (request == IOC_SET_BPF) {
      return "PERF_EVENT_IOC_SET_BPF";
    }
    return "0x" + Long.toHexString(request);
  }
}
