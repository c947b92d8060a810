package io.github.bpfmaps.runtime.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Run by {@link SyscallTest} in a JVM where jffi is absent or disabled: prints the binding and the
 * errnos of a lookup on a bad fd and of a missing key, which must be those of the jffi path.
 */
public final class SyscallFallbackChild {
  private SyscallFallbackChild() {}

  public static void main(String[] args) {
    ByteBuffer key = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    long k = Scratch.address(key);
    int badFd = BpfSys.mapLookup(-1, k, k, 0);
    int fd = BpfSys.mapCreate("syscall_fallback", 1, 4, 4, 1, 0, 0, 0, 0, 0, 0);
    try {
      System.out.println(Syscall.implementation() + " " + badFd + " " + BpfSys.mapLookup(fd, k, k, 0));
    } finally {
      BpfSys.close(fd);
    }
  }
}
