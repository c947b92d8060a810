package io.github.bpfmaps.errors;

/**
 * A program could not be attached, for a reason found before or instead of the kernel's answer: the
 * interface, tracepoint, symbol, binary or cgroup does not exist, the program's type does not fit
 * the hook, or this kernel lacks what the hook needs (kprobes, ftrace trampolines). The message
 * names the program, the hook and what to do; {@link #hook()} names the hook alone. Nothing is left
 * attached when it is thrown.
 */
public class BpfAttachException extends BpfException {
  private static final long serialVersionUID = 1L;

  private final String hook;

  /**
   * @param program the program's name
   * @param hook the attachment point, such as {@code xdp on veth0} or {@code tracepoint syscalls/sys_enter_execve}
   * @param message what is wrong and how to fix it
   */
  public BpfAttachException(String program, String hook, String message) {
    super("attach", program, 0, message);
    this.hook = hook;
  }

  /** The attachment point that failed, such as {@code xdp on veth0}. */
  public String hook() {
    return hook;
  }
}
