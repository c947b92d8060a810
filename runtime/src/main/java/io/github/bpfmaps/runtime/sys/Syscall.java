package io.github.bpfmaps.runtime.sys;

import com.sun.jna.Native;

/**
 * The one native entry point of {@code bpf(2)}: {@code syscall(SYS_bpf, cmd, attr, size)} and its
 * errno. Kept this small on purpose: the runtime is a multi-release jar, and on Java 22 and later
 * {@code META-INF/versions/22/} holds a replacement of this class only, which makes the same call
 * through the Foreign Function &amp; Memory API instead of JNA (fewer native frames per call).
 * Everything else, {@link BpfSys} included, is the same class file on every Java version.
 *
 * <p>This is the Java 17 implementation: JNA direct mapping ({@link LibC.NoThrow}), errno from
 * {@link Native#getLastError()}.
 */
public final class Syscall {
  private Syscall() {}

  /**
   * {@code syscall(number, cmd, attr, size)} on the calling thread, whose {@link Scratch} is {@code
   * s}. Returns the kernel's non-negative result, or {@code -errno}. One system call; allocates
   * nothing, also on failure.
   */
  public static long bpf(Scratch s, long number, long cmd, long attrAddress, long size) {
    long r = LibC.NoThrow.syscall(number, cmd, attrAddress, size);
    return r < 0 ? -Native.getLastError() : r;
  }

  /**
   * Which binding makes the call: {@code "jna"} here, {@code "ffm"} in the Java 22 class. For tests
   * and diagnostics; costs nothing.
   */
  public static String implementation() {
    return "jna";
  }
}
