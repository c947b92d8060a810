package io.github.bpfmaps.runtime.sys;

/**
 * What {@code BPF_PROG_TEST_RUN} returned.
 *
 * @param retval the program's return value (for XDP: 2 is {@code XDP_PASS})
 * @param dataOut the packet after the program, {@code data_size_out} bytes
 * @param durationNs the kernel's average run time per repetition, in nanoseconds
 */
public record TestRunResult(int retval, byte[] dataOut, int durationNs) {}
