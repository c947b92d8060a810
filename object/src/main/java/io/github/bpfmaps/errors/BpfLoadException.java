package io.github.bpfmaps.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The kernel's verifier refused a program ({@code BPF_PROG_LOAD}), or its BTF checker refused BTF
 * ({@code BPF_BTF_LOAD}): thrown only when the kernel's log gives a verdict. Failures of the load
 * call that the verifier did not decide (EMFILE, ENOMEM before verification, EPERM without the
 * capability) are plain {@link BpfSyscallException}s.
 *
 * <p>The message leads with the verdict as the log gives it: the refusal, the instruction it
 * concerns and the source line the log names (where the object has BTF line info), then the log's
 * last lines, one per line. The errno is named, but a capability is suggested only where the log's
 * refusal concerns privilege ({@code "... prohibited for !root"}) or the process really lacks
 * CAP_BPF and CAP_SYS_ADMIN: the kernel answers EACCES for most verifier refusals, as root too.
 * {@link #verifierLog()} has the whole log.
 */
public class BpfLoadException extends BpfSyscallException {
  private static final long serialVersionUID = 1L;

  /** Lines of the log's end quoted in the message. */
  static final int TAIL_LINES = 8;

  private static final Pattern INSN = Pattern.compile("^(\\d+): \\([0-9a-f]{2}\\) (.*?)(\\s+;.*)?$");
  private static final Pattern SOURCE = Pattern.compile("^; (.*?)\\s*@ (\\S+:\\d+)$");

  private final String log;

  /**
   * @param operation {@code BPF_PROG_LOAD} or {@code BPF_BTF_LOAD}
   * @param target the program's name (or the BTF's owner)
   * @param errno the kernel's errno
   * @param log the verifier log, empty if the kernel wrote none
   */
  public BpfLoadException(String operation, @Nullable String target, int errno, String log) {
    super(operation, target, errno, message(operation, target, errno, log), true);
    this.log = log;
  }

  /**
   * A refusal whose cause we know better than the log says (this kernel cannot trace functions,
   * say): {@code why} comes first in the message, the log's last lines after it.
   */
  public BpfLoadException(String operation, @Nullable String target, int errno, String log, String why) {
    super(operation, target, errno, knownCause(operation, target, errno, log, why), true);
    this.log = log;
  }

  private static String knownCause(
      String operation, @Nullable String target, int errno, String log, String why) {
    StringBuilder b = new StringBuilder(operation);
    if (target != null) {
      b.append(" on '").append(target).append('\'');
    }
    b.append(": ").append(why);
    b.append("\n  ").append(Errno.name(errno)).append(" (").append(Errno.meaning(errno)).append(")");
    appendLogTail(b, log);
    return b.toString();
  }

  private static void appendLogTail(StringBuilder b, String log) {
    if (log.isBlank()) {
      return;
    }
    String[] lines = log.strip().split("\n");
    b.append("\nverifier log ends:");
    for (int i = Math.max(0, lines.length - TAIL_LINES); i < lines.length; i++) {
      b.append("\n  ").append(lines[i].stripTrailing());
    }
    b.append("\n(the whole log: verifierLog())");
  }

  /** The whole verifier (or BTF checker) log, truncated by the kernel if it did not fit the buffer. */
  public String verifierLog() {
    return log;
  }

  /** The same as {@link #verifierLog()}, the name this accessor had first. */
  public String log() {
    return log;
  }

  /** True if the log's refusal is about privilege: only then is a capability the fix. */
  static boolean logConcernsPrivilege(String log) {
    return log.contains("!root") || log.contains("CAP_") || log.contains("unprivileged");
  }

  /**
   * True if {@code log} holds a verdict: anything besides the summary lines the kernel writes after
   * every verification, accepted or not ({@code processed N insns}, {@code verification time},
   * {@code stack depth}).
   */
  public static boolean hasVerdict(String log) {
    for (String l : log.split("\n")) {
      if (!statLine(l)) {
        return true;
      }
    }
    return false;
  }

  private static boolean statLine(String line) {
    return line.isBlank() || line.startsWith("processed ") || line.startsWith("verification time")
        || line.startsWith("stack depth") || line.startsWith("-- END");
  }

  static String message(String operation, @Nullable String target, int errno, String log) {
    boolean prog = operation.equals("BPF_PROG_LOAD");
    String[] lines = log.strip().split("\n");
    List<String> body = new ArrayList<>();
    for (String l : lines) {
      if (!statLine(l)) {
        body.add(l.stripTrailing());
      }
    }
    StringBuilder b = new StringBuilder(operation);
    if (target != null) {
      b.append(" on '").append(target).append('\'');
    }
    b.append(": the kernel's ").append(prog ? "verifier refused the program" : "BTF checker refused the BTF");
    // The verdict: the lines after the last instruction the verifier walked (or the last line).
    int lastInsn = -1;
    for (int i = 0; i < body.size(); i++) {
      if (INSN.matcher(body.get(i)).matches()) {
        lastInsn = i;
      }
    }
    List<String> verdict = new ArrayList<>(body.subList(lastInsn + 1, body.size()));
    if (verdict.isEmpty() && !body.isEmpty()) {
      verdict.add(body.get(body.size() - 1));
    }
    if (verdict.isEmpty()) {
      b.append(" (the kernel wrote no log)");
    } else {
      b.append(": ").append(String.join("; ", verdict));
    }
    if (lastInsn >= 0) {
      Matcher m = INSN.matcher(body.get(lastInsn));
      if (m.matches()) {
        b.append("\n  at instruction ").append(m.group(1)).append(": ").append(m.group(2));
      }
      for (int i = lastInsn - 1; i >= 0; i--) {
        Matcher s = SOURCE.matcher(body.get(i));
        if (s.matches()) {
          b.append("\n  source ").append(s.group(2)).append(": ").append(s.group(1));
          break;
        }
      }
    }
    b.append("\n  ").append(Errno.name(errno)).append(" (").append(Errno.meaning(errno)).append(")");
    b.append(prog ? " is the kernel's answer for this refusal" : " is the kernel's answer for bad BTF");
    if (logConcernsPrivilege(log)) {
      b.append("; the refusal concerns privilege: run as root or grant CAP_BPF and CAP_PERFMON"
          + " (pointer arithmetic, leaking pointers and some helpers are for privileged loaders only)");
    } else if (!Capabilities.canLoadBpf()) {
      b.append("; note that this process has neither CAP_BPF nor CAP_SYS_ADMIN, which can change"
          + " what the verifier allows: run as root or grant CAP_BPF (+ CAP_PERFMON)");
    }
    appendLogTail(b, log);
    return b.toString();
  }
}
