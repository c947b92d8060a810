package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;

/**
 * PERCPU_ARRAY maps: an array whose every index holds one value per possible CPU (see {@link
 * PerCpuValues}: {@code get(i).sum(V::field)} totals a counter; {@link #sumLongAt} and {@link
 * #getLongsAt} do the same without allocating anything). As {@link BpfArrayMap}, entries
 * cannot be deleted, so the handle has no deleting operations, and {@link #clear()} writes zeros.
 * {@link #getAt(int)} and {@link #setAt(int, Object)} read and write every CPU's value at once.
 * Thread-safe.
 *
 * @param <V> the type of one CPU's value
 */
public class BpfPerCpuArrayMap<V> extends BpfIndexedMap<PerCpuValues<V>> {
  private final int cpus;
  private final Codec<V> slotCodec;

  /**
   * @param valueCodec the codec of one CPU's value ({@code spec.valueSize()} bytes)
   */
  public BpfPerCpuArrayMap(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec, new PerCpuCodec<>(valueCodec, Bpf.possibleCpus()));
    this.cpus = Bpf.possibleCpus();
    this.slotCodec = valueCodec;
  }

  /**
   * The byte offset of field {@code field} (Java component or C member name) in one CPU's value, for
   * {@link #sumLongAt} and the other field reads. Look it up once, not per read.
   *
   * @throws IllegalArgumentException if the value codec has no layout or no such field
   */
  public int fieldOffset(String field) {
    return Fields.offset(slotCodec, field, "PERCPU_ARRAY map '" + spec.name() + "'");
  }

  /**
   * The sum over all CPUs of the 8-byte field at {@code offset} of value {@code index} (offset 0 of
   * a {@code __u64} value: the value itself), wrapping as a C {@code __u64} sum does. One system
   * call; allocates nothing.
   *
   * @throws IndexOutOfBoundsException if the index is past the end or the field does not fit
   */
  public long sumLongAt(int index, int offset) {
    return Fields.sum(lookupAt(index, offset, 8), cpus, PerCpuValues.slotSize(spec.valueSize()), offset, 8);
  }

  /**
   * The sum over all CPUs of the 4-byte field at {@code offset} of value {@code index}, each read as
   * an unsigned {@code __u32}. One system call; allocates nothing.
   *
   * @throws IndexOutOfBoundsException if the index is past the end or the field does not fit
   */
  public long sumIntAt(int index, int offset) {
    return Fields.sum(lookupAt(index, offset, 4), cpus, PerCpuValues.slotSize(spec.valueSize()), offset, 4);
  }

  /**
   * Writes each CPU's 8-byte field at {@code offset} of value {@code index} into {@code perCpu[cpu]}.
   * One system call; allocates nothing.
   *
   * @throws IllegalArgumentException if {@code perCpu} is shorter than {@link #cpus()}
   * @throws IndexOutOfBoundsException if the index is past the end or the field does not fit
   */
  public void getLongsAt(int index, int offset, long[] perCpu) {
    Fields.checkCpus(perCpu.length, cpus, spec.name());
    ByteBuffer v = lookupAt(index, offset, 8);
    int stride = PerCpuValues.slotSize(spec.valueSize());
    for (int c = 0; c < cpus; c++) {
      perCpu[c] = v.getLong(c * stride + offset);
    }
  }

  /** As {@link #getLongsAt} for a 4-byte field. */
  public void getIntsAt(int index, int offset, int[] perCpu) {
    Fields.checkCpus(perCpu.length, cpus, spec.name());
    ByteBuffer v = lookupAt(index, offset, 4);
    int stride = PerCpuValues.slotSize(spec.valueSize());
    for (int c = 0; c < cpus; c++) {
      perCpu[c] = v.getInt(c * stride + offset);
    }
  }

  /** Looks up {@code index} into the thread's value buffer, which it returns. */
  private ByteBuffer lookupAt(int index, int offset, int size) {
    Fields.check(offset, size, spec.valueSize(), "PERCPU_ARRAY", spec.name());
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    ByteBuffer v = s.value(valueSize);
    if (!found(s, BpfSys.BPF_MAP_LOOKUP_ELEM, s.keyAddress(), s.valueAddress())) {
      throw new IndexOutOfBoundsException("index " + Integer.toUnsignedString(index) + " of PERCPU_ARRAY map '"
          + spec.name() + "' with " + spec.maxEntries() + " entries");
    }
    return v;
  }

  /** The codec of one CPU's value ({@code spec.valueSize()} bytes; slots are 8-byte aligned). */
  public Codec<V> slotCodec() {
    return slotCodec;
  }

  /** Writes {@code value} into every CPU's slot at {@code index}. One system call. */
  public void setAll(int index, V value) {
    setAt(index, PerCpuValues.filled(value, cpus));
  }

  /** The number of slots in a value (possible CPUs). */
  public int cpus() {
    return cpus;
  }
}
