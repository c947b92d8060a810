package io.github.bpfmaps.runtime;

import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.OwnedFd;
import io.github.bpfmaps.runtime.sys.ProgInfo;
import io.github.bpfmaps.runtime.sys.RefCount;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A program of a {@link BpfObject}: its {@link ProgramSpec} from the object file and, once the
 * object is loaded, the kernel program ({@code BPF_PROG_LOAD}'s fd). {@link BpfObject#program}
 * returns the same instance before and after the load; the kernel-facing methods ({@link #testRun},
 * {@link #id()}, {@link #info()}, {@link #pin}) need it loaded.
 *
 * <p>The object owns the fd: {@link BpfObject#close()} closes it, as does {@link #close()} here (the
 * program then stays in the kernel only while something else holds it: a pin, an attachment, a
 * program array). A {@link Cleaner} closes the fd of an unreachable program.
 *
 * <p>Thread-safe.
 */
public final class BpfProgram implements AutoCloseable {
  private final ProgramSpec spec;
  private volatile @Nullable Loaded loaded;
  private volatile String verifierLog = "";

  private record Loaded(OwnedFd state, Cleaner.Cleanable cleanable) {}

  BpfProgram(ProgramSpec spec) {
    this.spec = Objects.requireNonNull(spec);
  }

  /** Takes ownership of the fd of the loaded program. */
  void loaded(int fd, String log) {
    OwnedFd state = new OwnedFd(fd);
    loaded = new Loaded(state, RefCount.CLEANER.register(this, state));
    verifierLog = log;
  }

  /** Closes the fd of a failed load and makes the program loadable again. */
  void unload() {
    close();
    loaded = null;
    verifierLog = "";
  }

  /**
   * The verifier's log of the successful load when {@link LoadOptions#logLevel(int)} asked for one
   * (its statistics, or every decision at level 2); empty otherwise. No system call.
   */
  public String verifierLog() {
    return verifierLog;
  }

  /** What the object file declares about the program. No system call. */
  public ProgramSpec spec() {
    return spec;
  }

  /** The program's function name (the kernel keeps the first 15 bytes). */
  public String name() {
    return spec.name();
  }

  /** The ELF section the program lives in, e.g. {@code xdp} or {@code socket}. */
  public String section() {
    return spec.section();
  }

  /** The program type the section implies. */
  public ProgramType type() {
    return spec.type();
  }

  /** The expected attach type the section implies, or null. */
  public @Nullable AttachType attachType() {
    return spec.attachType();
  }

  /** True once the object's load gave this program a kernel fd, and until it is closed. */
  public boolean isLoaded() {
    Loaded l = loaded;
    return l != null && !l.state().closing();
  }

  /**
   * Marks the fd in use and returns its number, for a system call made elsewhere (attaching, adding
   * to a program array); pair it with {@link #release()} in a {@code finally}. No system call.
   *
   * @throws BpfException if the program is not loaded or was closed
   */
  public int acquire() {
    Loaded l = loaded;
    if (l == null) {
      throw new BpfException("use", spec.name(), 0, "program '" + spec.name() + "' (section "
          + spec.section() + ") is not loaded: load its object first");
    }
    if (!l.state().tryAcquire()) {
      throw new BpfClosedException("use", spec.name());
    }
    return l.state().fd;
  }

  /** Ends a use begun by {@link #acquire()}. */
  public void release() {
    Loaded l = loaded;
    if (l != null) {
      l.state().release();
    }
  }

  /**
   * Runs the program once per {@code repeat} on {@code input} ({@code BPF_PROG_TEST_RUN}: one
   * system call, no attachment needed). XDP, socket filter, tc and other packet programs can be run
   * this way; the input then is a whole frame from the Ethernet header on. The output buffer is the
   * input's size plus 256 bytes, room for an XDP program that grows the packet.
   *
   * @param repeat how many times to run it (the kernel reports the average duration); at least 1
   * @throws BpfException if the program is not loaded or closed
   * @throws BpfSyscallException EINVAL if the type cannot be test-run or the input is too short
   */
  public TestRunResult testRun(byte[] input, int repeat) {
    return testRun(input, repeat, input.length + 256);
  }

  /**
   * As {@link #testRun(byte[], int)} with the size of the output buffer given ({@code
   * data_size_out}); a packet the program leaves longer than that is cut.
   */
  public TestRunResult testRun(byte[] input, int repeat, int outputSize) {
    return run(input, null, repeat, outputSize);
  }

  /**
   * As {@link #testRun(byte[], int)} with the program's context as the kernel should see it
   * ({@code ctx_in}, host byte order): for XDP a {@code struct xdp_md} whose {@code data} is 0,
   * {@code data_end} the input's length and {@code ingress_ifindex} an existing interface (1 is
   * {@code lo}); for socket filters and tc a {@code struct __sk_buff}. One system call.
   *
   * @throws BpfSyscallException EINVAL if the kernel refuses a field of the context
   */
  public TestRunResult testRun(byte[] input, byte[] context, int repeat) {
    return run(input, context.clone(), repeat, input.length + 256);
  }

  private TestRunResult run(byte[] input, byte @Nullable [] context, int repeat, int outputSize) {
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
    }
    if (outputSize < 0) {
      throw new IllegalArgumentException("negative output size " + outputSize);
    }
    int fd = acquire();
    try {
      return BpfSys.progTestRun(fd, input, outputSize, context, repeat);
    } catch (BpfSyscallException e) {
      throw BpfException.withCause(BpfSyscallException.of("BPF_PROG_TEST_RUN", spec.name(), e.errno(),
          "program type " + spec.type() + ", " + input.length + " bytes in"
              + (context == null ? "" : ", " + context.length + " bytes of context")), e);
    } finally {
      release();
    }
  }

  /** What the kernel says about the program ({@code BPF_OBJ_GET_INFO_BY_FD}: one system call). */
  public ProgInfo info() {
    int fd = acquire();
    try {
      return BpfSys.progInfo(fd);
    } finally {
      release();
    }
  }

  /** The program's system-wide id, as {@code bpftool prog show} lists it (one system call). */
  public int id() {
    return info().id();
  }

  /**
   * Pins the program at {@code path} on bpffs ({@code BPF_OBJ_PIN}: one system call); the program
   * then outlives this process until the pin is removed.
   *
   * @throws BpfKeyExistsException if the path exists
   */
  public void pin(Path path) {
    int fd = acquire();
    try {
      BpfSys.objPin(fd, path.toString());
    } finally {
      release();
    }
  }

  /** Closes the program's fd (now, or when the last call in flight ends). Idempotent; never throws. */
  @Override
  public void close() {
    Loaded l = loaded;
    if (l != null) {
      l.cleanable().clean();
    }
  }

  @Override
  public String toString() {
    Loaded l = loaded;
    String state = l == null ? "not loaded" : l.state().closing() ? "closed" : "fd " + l.state().fd;
    return "BpfProgram[" + spec.name() + ", " + spec.section() + ", " + spec.type() + ", " + state + "]";
  }
}
