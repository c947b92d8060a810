package io.github.bpfmaps.runtime.sys;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;
import com.sun.jna.Native;
import org.jspecify.annotations.Nullable;

/**
 * The one native entry point of {@code bpf(2)}: {@code syscall(SYS_bpf, cmd, attr, size)} and its
 * errno. Kept this small on purpose: the runtime is a multi-release jar, and on Java 22 and later
 * {@code META-INF/versions/22/} holds a replacement of this class only, which makes the same call
 * through the Foreign Function &amp; Memory API. Everything else, {@link BpfSys} included, is the
 * same class file on every Java version.
 *
 * <p>This is the Java 17–21 implementation. It calls {@code syscall} through jffi (the JNR
 * project's native stub, a dependency of the runtime): one JNI call straight into the function
 * pointer, with {@code errno} saved by the stub; that costs what the FFM downcall costs on Java 22+
 * (figures in {@code docs/DESIGN.md}). JNA's direct mapping ({@link LibC.NoThrow}, errno from
 * {@link Native#getLastError()}) goes through JNA's dispatch and libffi, three to five times the
 * binding's cost, and stays as the fallback when jffi cannot load its native stub (it unpacks it
 * into {@code java.io.tmpdir}, which a {@code noexec} mount refuses) or is left off the class path.
 */
public final class Syscall {
  private Syscall() {}

  /** The jffi call, or null when jffi is absent or its stub did not load (then JNA). */
  private static final @Nullable Jnr JNR = loadJnr();

  private static @Nullable Jnr loadJnr() {
    if (Boolean.getBoolean("bpfmaps.jna")) {
      return null; // -Dbpfmaps.jna=true: JNA only, for comparisons and as an escape hatch
    }
    try {
      return new Jnr();
    } catch (LinkageError | RuntimeException e) {
      // NoClassDefFoundError (jffi left off the class path; thrown here, where Jnr is first
      // linked), UnsatisfiedLinkError (its stub could not be unpacked or loaded): JNA instead.
      return null;
    }
  }

  /**
   * {@code syscall(number, cmd, attr, size)} on the calling thread, whose {@link Scratch} is {@code
   * s}. Returns the kernel's non-negative result, or {@code -errno}. One system call; allocates
   * nothing, also on failure.
   */
  public static long bpf(Scratch s, long number, long cmd, long attrAddress, long size) {
    Jnr j = JNR;
    if (j != null) {
      long r = j.invoker.invokeN4(j.context, j.function, number, cmd, attrAddress, size);
      return r < 0 ? -j.errno.get() : r;
    }
    long r = LibC.NoThrow.syscall(number, cmd, attrAddress, size);
    return r < 0 ? -Native.getLastError() : r;
  }

  /**
   * Which binding makes the call: {@code "jnr"} (jffi) or {@code "jna"} (its fallback) here, {@code
   * "ffm"} in the Java 22 class. For tests, benchmarks' headings and diagnostics; costs nothing.
   */
  public static String implementation() {
    return JNR != null ? "jnr" : "jna";
  }

  /**
   * jffi's pieces of the call: {@code long syscall(long, long, long, long)} with errno saved.
   * {@code syscall} is variadic in C; on x86-64 and arm64 Linux a variadic call of integer
   * arguments passes them exactly as a fixed-argument one (glibc's x86-64 {@code syscall} is
   * assembly that reads no {@code %al}), so the fixed four-{@code long} signature is the same call.
   */
  private static final class Jnr {
    final Invoker invoker;
    final CallContext context;
    final long function;
    final LastError errno;

    private Jnr() {
      this.invoker = Invoker.getInstance();
      Type l = Type.SINT64;
      this.context = CallContext.getCallContext(l, new Type[] {l, l, l, l}, CallingConvention.DEFAULT, true);
      this.function = Library.getDefault().getSymbolAddress("syscall");
      this.errno = LastError.getInstance();
      if (function == 0) {
        throw new UnsatisfiedLinkError("libc has no syscall");
      }
    }
  }
}
