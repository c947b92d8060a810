package io.github.bpfmaps.runtime;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Facts about the running kernel that every handle needs: whether {@code bpf(2)} can be used at all,
 * and how many CPUs a per-CPU value has slots for.
 */
public final class Bpf {
  private Bpf() {}

  private static volatile @Nullable String reason;
  private static volatile boolean probed;
  private static volatile int possibleCpus;

  /**
   * True if this process can create BPF maps: the first call creates and closes a one-entry array
   * map (two system calls), later calls return the cached answer.
   */
  public static boolean available() {
    probe();
    return reason == null;
  }

  /**
   * Why {@link #available()} is false ({@code bpf(2) denied: EPERM: …}), or {@code "bpf(2)
   * available"}. Made for {@code assumeTrue(Bpf.available(), Bpf.unavailableReason())}.
   */
  public static String unavailableReason() {
    probe();
    String r = reason;
    return r == null ? "bpf(2) available" : r;
  }

  private static synchronized void probe() {
    if (probed) {
      return;
    }
    try {
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
        reason = "bpf(2) is Linux only; this is " + System.getProperty("os.name");
      } else if (BpfSys.NR_BPF < 0) {
        reason = "bpf(2) number unknown for architecture " + System.getProperty("os.arch");
      } else {
        int fd = BpfSys.mapCreate("probe", MapType.ARRAY.id(), 4, 4, 1, 0, 0, 0, 0, 0, 0);
        LibC.close(fd);
      }
    } catch (BpfException e) {
      reason = "bpf(2) denied: " + e.getMessage();
    } catch (LinkageError | RuntimeException e) {
      reason = "bpf(2) unusable: " + e;
    }
    probed = true;
  }

  /**
   * The number of possible CPUs ({@code /sys/devices/system/cpu/possible}, e.g. {@code 0-3} → 4),
   * the number of slots in a per-CPU value ({@code num_possible_cpus()} in the kernel). Read once.
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static int possibleCpus() {
    int n = possibleCpus;
    if (n == 0) {
      try {
        n = parseCpuList(Files.readString(Path.of("/sys/devices/system/cpu/possible"),
            StandardCharsets.US_ASCII));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read /sys/devices/system/cpu/possible", e);
      }
      possibleCpus = n;
    }
    return n;
  }

  /** Counts the CPUs in a kernel CPU list such as {@code 0-3,8,10-11}. */
  static int parseCpuList(String list) {
    int count = 0;
    for (String part : list.strip().split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-');
      if (dash < 0) {
        Integer.parseInt(part);
        count++;
      } else {
        count += Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException("empty CPU list: '" + list + "'");
    }
    return count;
  }

  /**
   * The ids of the CPUs now online ({@code /sys/devices/system/cpu/online}, read on every call: CPUs
   * come and go). A perf event can be opened only on an online CPU ({@code ENODEV} otherwise).
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static int[] onlineCpus() {
    try {
      return cpuIds(Files.readString(Path.of("/sys/devices/system/cpu/online"), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /sys/devices/system/cpu/online", e);
    }
  }

  /** The CPU ids of a kernel CPU list such as {@code 0-3,8,10-11}, ascending as written. */
  static int[] cpuIds(String list) {
    int[] ids = new int[parseCpuList(list)];
    int n = 0;
    for (String part : list.strip().split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
      for (int c = from; c <= to; c++) {
        ids[n++] = c;
      }
    }
    return ids;
  }
}
