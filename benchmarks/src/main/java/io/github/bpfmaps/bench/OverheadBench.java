package io.github.bpfmaps.bench;

import com.sun.jna.Native;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.Scratch;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Where the time of a Java lookup goes, piece by piece: the same ARRAY lookup as {@link
 * ArrayMapBench} through each layer ({@code raw}: {@code syscall} through JNA on prepared buffers;
 * {@code sys}: {@link BpfSys#mapLookup}; {@code handle}: {@link BpfArrayMap#getAt(int)}), and the
 * layers' own costs without a system call (a JNA direct call to {@code labs}, the per-thread
 * scratch, the fd's acquire/release). Not in the C table; read it next to {@code array_lookup}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OverheadBench {
  /** {@code long labs(long)}: a libc function that does no system call, bound like {@link LibC}. */
  static final class Trivial {
    static {
      Native.register(Trivial.class, "c");
    }

    static native long labs(long v);
  }

  private BpfArrayMap<Pair> map;
  private MapFd fd;
  private int raw;
  private ByteBuffer attr;
  private long attrAddress;
  private ByteBuffer key;
  private long keyAddress;
  private ByteBuffer value;
  private long valueAddress;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    map = Shapes.array("overhead", false);
    Shapes.fill(map, Shapes.pairs(Shapes.ARRAY_ENTRIES));
    fd = map.fd();
    raw = fd.acquire(); // held for the trial: the raw benchmarks use the number directly
    attr = ByteBuffer.allocateDirect(64).order(java.nio.ByteOrder.nativeOrder());
    attrAddress = Scratch.address(attr);
    key = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder());
    keyAddress = Scratch.address(key);
    value = ByteBuffer.allocateDirect(16).order(java.nio.ByteOrder.nativeOrder());
    valueAddress = Scratch.address(value);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fd.release();
    map.close();
  }

  /** {@code syscall(NR_bpf, BPF_MAP_LOOKUP_ELEM, attr, 32)} with the attr prepared once per call. */
  @Benchmark
  public long raw() {
    key.putInt(0, i++ & Shapes.ARRAY_MASK);
    attr.putInt(0, raw);
    attr.putLong(8, keyAddress);
    attr.putLong(16, valueAddress);
    attr.putLong(24, 0);
    long r = LibC.NoThrow.syscall(BpfSys.NR_BPF, BpfSys.BPF_MAP_LOOKUP_ELEM, attrAddress, 32);
    return r + value.getLong(0);
  }

  /** {@link BpfSys#mapLookup}: the per-thread attr, zeroing, errno handling. */
  @Benchmark
  public long sys() {
    key.putInt(0, i++ & Shapes.ARRAY_MASK);
    return BpfSys.mapLookup(raw, keyAddress, valueAddress, 0) + value.getLong(0);
  }

  /** The handle: scratch key, acquire/release, decode. */
  @Benchmark
  public long handle() {
    return map.getAt(i++ & Shapes.ARRAY_MASK).a();
  }

  /** A JNA direct call with no system call behind it. */
  @Benchmark
  public long jnaCall() {
    return Trivial.labs(-(i++));
  }

  /**
   * {@code syscall(SYS_getppid)} through the same JNA binding: the cost of entering the kernel from
   * this JVM thread, next to {@code c/} programs doing the same (x86-64 number 110).
   */
  @Benchmark
  public long getppid() {
    return LibC.NoThrow.syscall(110, 0, 0, 0);
  }

  /** The per-thread scratch lookup. */
  @Benchmark
  public Scratch scratch() {
    return Scratch.get();
  }

  /** One acquire/release pair of the fd's use count. */
  @Benchmark
  public int acquireRelease() {
    int n = fd.acquire();
    fd.release();
    return n;
  }
}
