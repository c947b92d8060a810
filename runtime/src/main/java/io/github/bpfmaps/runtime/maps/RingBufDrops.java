package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;
import org.jspecify.annotations.Nullable;

/**
 * How many records BPF programs could not put into a ring buffer because it was full: the count
 * kept by the reserve and output macros of the header {@code bpfmaps/ringbuf_drops.h} (in the
 * runtime jar and under {@code runtime/src/main/resources/}) in the one-entry PERCPU_ARRAY {@code
 * <ring>_drops}. The kernel itself counts no failed reservation; a ring reserved through the plain
 * helpers has no such map, and {@link #bind} says so.
 *
 * <p>A ring buffer handle bound from its object ({@code <Record>Map.bind(obj)}, {@link
 * BpfRingBuf#BpfRingBuf(BpfObject, MapSpec, Codec)}) finds this counter itself and answers {@link
 * BpfRingBuf#dropped()}; this class is for watching the drops without mapping the ring (another
 * process consumes it, or the counter is pinned: {@link #of}), and for giving a ring made from an
 * fd its counter ({@link BpfRingBuf#BpfRingBuf(MapFd, MapSpec, Codec, RingBufDrops)}).
 *
 * <p>Thread-safe; {@link AutoCloseable} (closes its map fd).
 */
public final class RingBufDrops implements AutoCloseable {
  /** What the header appends to the ring's name for the counter map. */
  public static final String SUFFIX = "_drops";

  private final BpfPerCpuArrayMap<Long> counter;

  private RingBufDrops(BpfPerCpuArrayMap<Long> counter) {
    this.counter = counter;
  }

  /** The spec of the counter of the ring named {@code ring}: PERCPU_ARRAY, u32 key, u64 value, 1 entry. */
  public static MapSpec spec(String ring) {
    return MapSpec.of(ring + SUFFIX, MapType.PERCPU_ARRAY, 4, 8, 1, 0);
  }

  /**
   * The drop counter of ring buffer {@code ring} in a loaded object (a dup of its fd).
   *
   * @throws BpfException if the object has no {@code <ring>_drops} map (saying how to declare it), or
   *     the map is not what the header declares
   */
  public static RingBufDrops bind(BpfObject object, String ring) {
    RingBufDrops drops = ifDeclared(object, ring);
    if (drops == null) {
      String name = ring + SUFFIX;
      throw new BpfException("RingBufDrops.bind", name, 0, noCounter(ring, "the object has no map '" + name + "'"));
    }
    return drops;
  }

  /**
   * The counter of {@code ring} if the loaded {@code object} declares one, else null. One system
   * call when it does.
   *
   * @throws io.github.bpfmaps.errors.BpfSpecMismatchException if {@code <ring>_drops} is not what
   *     the header declares
   */
  static @Nullable RingBufDrops ifDeclared(BpfObject object, String ring) {
    MapSpec spec = spec(ring);
    if (!object.mapNames().contains(spec.name())) {
      return null;
    }
    return new RingBufDrops(new BpfPerCpuArrayMap<>(object.bindMap(spec, Codecs.U32, Codecs.U64), spec, Codecs.U64));
  }

  /** Why there is no count for {@code ring}, and how to get one. */
  static String noCounter(String ring, String why) {
    return why + " counting the drops of ring buffer '" + ring + "' (the kernel counts no failed"
        + " reservation): declare it with BPFMAPS_RINGBUF_DROPS(" + ring + ") and reserve with"
        + " BPFMAPS_RINGBUF_RESERVE from bpfmaps/ringbuf_drops.h";
  }

  /** The counter map at {@code fd} (for example pinned, or found by id), checked against {@link #spec}. */
  public static RingBufDrops of(MapFd fd, String ring) {
    return new RingBufDrops(new BpfPerCpuArrayMap<>(fd, spec(ring), Codecs.U64));
  }

  /**
   * Records dropped so far on every CPU: one {@code BPF_MAP_LOOKUP_ELEM} system call (all CPUs at
   * once); allocates nothing.
   */
  public long dropped() {
    return counter.sumLongAt(0, 0);
  }

  /** Records dropped so far on {@code cpu}: one system call; allocates the per-CPU list. */
  public long dropped(int cpu) {
    PerCpuValues<Long> v = counter.getAt(0);
    return v == null ? 0 : v.get(cpu);
  }

  /** The counter map's handle. */
  public BpfPerCpuArrayMap<Long> counter() {
    return counter;
  }

  /** Closes the counter's fd. Idempotent. */
  @Override
  public void close() {
    counter.close();
  }
}
