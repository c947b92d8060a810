package io.github.bpfmaps.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Why this kernel cannot do an attachment, in words, found from files rather than from an errno:
 * the kernel config ({@code /proc/config.gz} or {@code /boot/config-<release>}) and the perf PMUs in
 * {@code /sys/bus/event_source/devices} (what ftrace can trace is {@link TracingLimits}'s). Only read
 * when an attachment that needs them is made. No system call beyond file reads.
 */
final class KernelSupport {
  private KernelSupport() {}

  static final Path PMUS = Path.of("/sys/bus/event_source/devices");

  /**
   * The value of {@code option} (such as {@code CONFIG_KPROBES}) in the kernel's config: {@code y},
   * {@code m}, a number or string, {@code "n"} for "is not set", or null when the config cannot be
   * read or does not mention it.
   */
  static @Nullable String config(String option) {
    String text = configText();
    if (text == null) {
      return null;
    }
    for (String line : text.split("\n")) {
      if (line.startsWith(option + "=")) {
        return line.substring(option.length() + 1);
      }
      if (line.equals("# " + option + " is not set")) {
        return "n";
      }
    }
    return null;
  }

  private static @Nullable String configText() {
    Path gz = Path.of("/proc/config.gz");
    try {
      if (Files.isReadable(gz)) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
      Path boot = Path.of("/boot/config-" + release);
      return Files.isReadable(boot) ? Files.readString(boot) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Where the config was read from, for messages. */
  private static String configSource() {
    return Files.isReadable(Path.of("/proc/config.gz")) ? "/proc/config.gz" : "/boot/config-$(uname -r)";
  }

  /** Why kprobes cannot attach here, or null if the kprobe PMU exists. */
  static @Nullable String kprobesMissing() {
    if (Files.isDirectory(PMUS.resolve("kprobe"))) {
      return null;
    }
    String kprobes = config("CONFIG_KPROBES");
    String kprobeEvents = config("CONFIG_KPROBE_EVENTS");
    StringBuilder b = new StringBuilder("this kernel has no kprobes: the perf PMU "
        + PMUS.resolve("kprobe") + " does not exist");
    if ("n".equals(kprobes)) {
      b.append(", and ").append(configSource()).append(" says CONFIG_KPROBES is not set");
    } else if (kprobes != null && (kprobeEvents == null || "n".equals(kprobeEvents))) {
      b.append(", and ").append(configSource()).append(" says CONFIG_KPROBE_EVENTS is not set");
    }
    b.append("; kprobes need a kernel built with CONFIG_KPROBES=y and CONFIG_KPROBE_EVENTS=y."
        + " A tracepoint or raw tracepoint (see /sys/kernel/tracing/available_events) may observe the same event");
    return b.toString();
  }
}
