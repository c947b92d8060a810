package io.github.bpfmaps.errors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's effective capabilities, read from {@code CapEff} in {@code /proc/self/status}
 * (bit numbers from {@code include/uapi/linux/capability.h}). Used to decide whether a refusal can
 * be a missing capability at all before an error message suggests one. Reads a small file per call;
 * only called on failure paths.
 */
public final class Capabilities {
  private Capabilities() {}

  /** {@code CAP_NET_ADMIN}. */
  public static final int CAP_NET_ADMIN = 12;
  /** {@code CAP_SYS_ADMIN}. */
  public static final int CAP_SYS_ADMIN = 21;
  /** {@code CAP_PERFMON}. */
  public static final int CAP_PERFMON = 38;
  /** {@code CAP_BPF}. */
  public static final int CAP_BPF = 39;

  /**
   * True if the process has capability {@code bit} in its effective set. True as well when the set
   * cannot be read (no procfs): then a capability hint stays possible rather than being ruled out.
   */
  public static boolean has(int bit) {
    long set = effective();
    return set == -1 || (set & (1L << bit)) != 0;
  }

  /**
   * True if the process has every capability a BPF operation can ask for (CAP_SYS_ADMIN, CAP_BPF,
   * CAP_PERFMON, CAP_NET_ADMIN), as root has: then an EPERM or EACCES is never a missing capability.
   * False when the set cannot be read.
   */
  public static boolean hasEveryBpfCapability() {
    long set = effective();
    long all = (1L << CAP_SYS_ADMIN) | (1L << CAP_BPF) | (1L << CAP_PERFMON) | (1L << CAP_NET_ADMIN);
    return set != -1 && (set & all) == all;
  }

  /** The effective set, or -1 if it cannot be read. */
  private static long effective() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return Long.parseUnsignedLong(line.substring(7).strip(), 16);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** True if the process may load BPF programs by capability: CAP_BPF or CAP_SYS_ADMIN. */
  public static boolean canLoadBpf() {
    return has(CAP_BPF) || has(CAP_SYS_ADMIN);
  }
}
