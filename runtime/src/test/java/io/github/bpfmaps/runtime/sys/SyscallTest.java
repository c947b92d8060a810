package io.github.bpfmaps.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.KernelTests;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The raw {@code bpf(2)} entry point, whichever binding makes the call: jffi or its JNA fallback
 * (the base class) or the
 * Foreign Function &amp; Memory API (the multi-release jar's {@code META-INF/versions/22} class).
 * The build's second-JDK run sets {@code bpfmaps.test.syscall=ffm}, so that a jar that silently fell
 * back to JNA fails there; errno must come back the same through both.
 */
class SyscallTest {
  private static final int HASH = 1; // BPF_MAP_TYPE_HASH
  private static final long BPF_NOEXIST = 1;

  @Test
  void implementationIsTheOneThisJvmShouldUse() {
    String expected = System.getProperty("bpfmaps.test.syscall");
    if (expected != null) {
      assertEquals(expected, Syscall.implementation());
    } else if (Runtime.version().feature() < 22) {
      // A Java 17 JVM never reads META-INF/versions/22, jar or not; jffi is a regular dependency,
      // so JNA (the fallback) here means its stub failed to load, or -Dbpfmaps.jna=true.
      assertEquals(Boolean.getBoolean("bpfmaps.jna") ? "jna" : "jnr", Syscall.implementation());
    }
  }

  /**
   * On Java 17–21, JNA makes the call when jffi is off the class path or disabled, with the same
   * errnos. Child JVMs, since the choice is made once per JVM.
   */
  @Test
  void withoutJffiJnaMakesTheCallWithTheSameErrnos() throws Exception {
    KernelTests.needBpf();
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() < 22,
        "Java 22+ uses the FFM class whatever the class path holds");
    String cp = System.getProperty("java.class.path");
    String withoutJffi = java.util.Arrays.stream(cp.split(java.io.File.pathSeparator))
        .filter(e -> !e.contains("jffi"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    String expected = "jna " + Errno.EBADF + " " + Errno.ENOENT;
    assertEquals(expected, child(withoutJffi), "jffi off the class path");
    assertEquals(expected, child(cp, "-Dbpfmaps.jna=true"), "-Dbpfmaps.jna=true");
    assertEquals("jnr " + Errno.EBADF + " " + Errno.ENOENT, child(cp), "jffi present");
  }

  private static String child(String classPath, String... options) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(java.util.List.of(options));
    cmd.addAll(java.util.List.of("-cp", classPath, SyscallFallbackChild.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "child JVM did not exit");
    assertEquals(0, p.exitValue(), "child JVM failed: " + out);
    return out;
  }

  @Test
  void errnoComesBackFromTheElementCommands() {
    KernelTests.needBpf();
    int fd = BpfSys.mapCreate("syscall_errno", HASH, 4, 8, 4, 0, 0, 0, 0, 0, 0);
    try {
      ByteBuffer key = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, 7);
      ByteBuffer value = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()).putLong(0, 42);
      long k = Scratch.address(key);
      long v = Scratch.address(value);
      assertEquals(Errno.ENOENT, BpfSys.mapLookup(fd, k, v, 0), "lookup of a missing key");
      assertEquals(Errno.ENOENT, BpfSys.mapDelete(fd, k), "delete of a missing key");
      assertEquals(0, BpfSys.mapUpdate(fd, k, v, BPF_NOEXIST));
      assertEquals(Errno.EEXIST, BpfSys.mapUpdate(fd, k, v, BPF_NOEXIST), "NOEXIST on a present key");
      value.putLong(0, 0);
      assertEquals(0, BpfSys.mapLookup(fd, k, v, 0));
      assertEquals(42, value.getLong(0));
      BpfSys.mapFreeze(fd, "syscall_errno");
      // map_update_elem checks FMODE_CAN_WRITE, which a frozen map no longer grants user space.
      assertEquals(Errno.EPERM, BpfSys.mapUpdate(fd, k, v, 0), "update of a frozen map");
    } finally {
      BpfSys.close(fd);
    }
  }

  @Test
  void errnoOfABadFdIsEbadf() {
    KernelTests.needBpf();
    ByteBuffer key = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    long k = Scratch.address(key);
    assertEquals(Errno.EBADF, BpfSys.mapLookup(-1, k, k, 0));
  }

  @Test
  void objectCommandFailureCarriesTheErrno() {
    KernelTests.needBpf();
    BpfSyscallException e = assertThrows(BpfSyscallException.class,
        () -> BpfSys.objGet("/sys/fs/bpf/bpfmaps-no-such-pin-" + ProcessHandle.current().pid(), 0));
    assertEquals(Errno.ENOENT, e.errno());
    assertTrue(e.getMessage().contains("BPF_OBJ_GET"), e.getMessage());
  }

  @Test
  void successReturnsTheKernelsResult() {
    KernelTests.needBpf();
    int fd = BpfSys.mapCreate("syscall_fd", HASH, 4, 4, 1, 0, 0, 0, 0, 0, 0);
    try {
      assertTrue(fd > 2, "a new fd, got " + fd);
      assertEquals("syscall_fd", BpfSys.mapInfo(fd, null).name());
    } finally {
      BpfSys.close(fd);
    }
  }
}
