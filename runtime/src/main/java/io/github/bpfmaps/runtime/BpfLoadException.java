package io.github.bpfmaps.runtime;

import org.jspecify.annotations.Nullable;

/**
 * The kernel refused a program ({@code BPF_PROG_LOAD}) or BTF ({@code BPF_BTF_LOAD}). {@link #log()}
 * is the verifier's (or BTF checker's) log, the place that says why; the message ends with its last
 * lines.
 */
public class BpfLoadException extends BpfSyscallException {
  private static final long serialVersionUID = 1L;

  private final String log;

  /**
   * @param operation {@code BPF_PROG_LOAD} or {@code BPF_BTF_LOAD}
   * @param target the program's name
   * @param errno the kernel's errno
   * @param log the verifier log, empty if the kernel wrote none
   */
  public BpfLoadException(String operation, @Nullable String target, int errno, String log) {
    super(operation, target, errno, tail(log));
    this.log = log;
  }

  /**
   * A refusal whose cause we know better than the log says (this kernel cannot trace functions,
   * say): {@code why} comes first in the message, the log's last lines after it.
   */
  BpfLoadException(String operation, @Nullable String target, int errno, String log, String why) {
    super(operation, target, errno, why + "; " + tail(log));
    this.log = log;
  }

  /** The whole verifier log (truncated by the kernel if it did not fit the buffer). */
  public String log() {
    return log;
  }

  private static String tail(String log) {
    String trimmed = log.strip();
    if (trimmed.isEmpty()) {
      return "no verifier log";
    }
    String[] lines = trimmed.split("\n");
    int from = Math.max(0, lines.length - 6);
    return "verifier log ends: " + String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }
}
