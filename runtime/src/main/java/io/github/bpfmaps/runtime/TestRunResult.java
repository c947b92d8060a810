package io.github.bpfmaps.runtime;

/**
 * What one {@link BpfProgram#testRun} ({@code BPF_PROG_TEST_RUN}) returned.
 *
 * @param retval the program's return value (for XDP the action: 1 {@code XDP_DROP}, 2 {@code
 *     XDP_PASS}; for a socket filter the bytes to keep)
 * @param dataOut the packet as the program left it
 * @param durationNs the kernel's average time per repetition, in nanoseconds
 */
public record TestRunResult(int retval, byte[] dataOut, int durationNs) {
  @Override
  public String toString() {
    return "TestRunResult[retval=" + retval + ", " + dataOut.length + " bytes out, " + durationNs + " ns]";
  }
}
