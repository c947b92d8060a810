package io.github.bpfmaps.runtime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The one native entry point of {@code bpf(2)}, Java 22 and later: {@code syscall(SYS_bpf, cmd,
 * attr, size)} through the Foreign Function &amp; Memory API. This file lives in {@code
 * META-INF/versions/22/} of the runtime jar and replaces the JNA-based class of the same name; its
 * public methods must stay exactly those of the base class ({@code src/main/java}).
 *
 * <p>Why: a JNA direct-mapped call goes through about eight native frames (JNI stub, JNA's
 * dispatch, libffi) before glibc's {@code syscall}; a downcall handle is a single generated stub.
 * Under the kernel's return-stack mitigations (SRSO "Safe RET") each of those returns after the
 * system call costs, so fewer frames is most of the gain (see {@code benchmarks/RESULTS.md}).
 *
 * <p>{@code errno} is saved by the stub right after the call ({@link
 * Linker.Option#captureCallState}), into a capture segment that each thread allocates once and keeps in its {@link
 * Scratch}: no allocation per call. The function is not linked {@link Linker.Option#critical critical}: a
 * {@code bpf(2)} can sleep (memory allocation in an update, a page fault on a key), and a critical
 * call would hold every safepoint, and so the garbage collector, until it returns.
 *
 * <p>Creating the handle is a restricted operation: Java 22+ prints a warning unless the
 * application runs with {@code --enable-native-access=ALL-UNNAMED} (or the module's name), or from
 * an executable jar whose manifest says {@code Enable-Native-Access: ALL-UNNAMED}. The call works
 * either way.
 */
public final class Syscall {
  private Syscall() {}

  private static final StructLayout STATE_LAYOUT = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET =
      STATE_LAYOUT.byteOffset(PathElement.groupElement("errno"));

  /**
   * {@code long syscall(long number, ...)}: variadic in C, so the descriptor says where the
   * variadic part starts (argument 1). On x86-64 that makes the stub set {@code %al} (the number of
   * vector registers used, here 0) as the System V ABI asks of a variadic call; on arm64 Linux
   * variadic integers travel in registers as fixed ones do. {@code long} arguments are already
   * of the promoted width C's default argument promotions require.
   */
  private static final MethodHandle SYSCALL = link();

  @SuppressWarnings("restricted")
  private static MethodHandle link() {
    Linker linker = Linker.nativeLinker();
    MemorySegment syscall = linker.defaultLookup().find("syscall")
        .orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall"));
    FunctionDescriptor fd = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    return linker.downcallHandle(syscall, fd,
        Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
  }

  /**
   * {@code syscall(number, cmd, attr, size)} on the calling thread, whose {@link Scratch} is {@code
   * s} (it holds the thread's capture segment). Returns the kernel's non-negative result, or {@code
   * -errno}. One system call; allocates nothing after the thread's first call, also on failure.
   */
  public static long bpf(Scratch s, long number, long cmd, long attrAddress, long size) {
    MemorySegment state = s.syscallState instanceof MemorySegment m ? m : newState(s);
    long r;
    try {
      r = (long) SYSCALL.invokeExact(state, number, cmd, attrAddress, size);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      // invokeExact declares Throwable; a downcall handle throws no checked exception.
      throw new AssertionError(t);
    }
    return r < 0 ? -state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET) : r;
  }

  /** The thread's capture segment, freed with its {@code Scratch} (an automatic arena). */
  private static MemorySegment newState(Scratch s) {
    MemorySegment state = Arena.ofAuto().allocate(STATE_LAYOUT);
    s.syscallState = state;
    return state;
  }

  /**
   * Which binding makes the call: {@code "ffm"} here, {@code "jna"} in the base class. For tests
   * and diagnostics; costs nothing.
   */
  public static String implementation() {
    return "ffm";
  }
}
