package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * PERCPU_HASH and LRU_PERCPU_HASH maps. From user space an entry's value is one slot per possible
 * CPU, read and written all at once: {@link #get} returns a {@link PerCpuValues} (sum it with {@code
 * get(k).sum(V::field)} or {@code reduce}; {@link #sumLong} and {@link #getLongs} read a field of
 * every CPU's slot without allocating), {@link #set} takes one, and {@link #setAll} writes the
 * same value to every CPU; entries are deleted as in {@link BpfDeletableMap}. Costs as {@link
 * BpfKeyedMap}; the value buffer is {@code round_up(value_size, 8) * possible CPUs} bytes.
 * Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the type of one CPU's value
 */
public class BpfPerCpuHashMap<K, V> extends BpfDeletableMap<K, PerCpuValues<V>> {
  private final int cpus;
  private final Codec<V> slotCodec;

  /**
   * @param valueCodec the codec of one CPU's value ({@code spec.valueSize()} bytes)
   */
  public BpfPerCpuHashMap(MapFd fd, MapSpec spec, Codec<K> keyCodec, Codec<V> valueCodec) {
    super(fd, spec, keyCodec, new PerCpuCodec<>(valueCodec, Bpf.possibleCpus()));
    this.cpus = Bpf.possibleCpus();
    this.slotCodec = valueCodec;
  }

  /**
   * The byte offset of field {@code field} (Java component or C member name) in one CPU's value, for
   * {@link #sumLong} and the other field reads. Look it up once, not per read.
   *
   * @throws IllegalArgumentException if the value codec has no layout or no such field
   */
  public int fieldOffset(String field) {
    return Fields.offset(slotCodec, field, "per-CPU hash map '" + spec.name() + "'");
  }

  /**
   * The sum over all CPUs of the 8-byte field at {@code offset} of {@code key}'s value (offset 0 of a
   * {@code __u64} value: the value itself), wrapping as a C {@code __u64} sum does; {@code absent}
   * if the key is not present. One system call; allocates nothing (beyond what the key codec may).
   *
   * @throws IndexOutOfBoundsException if the field does not fit the value
   */
  public long sumLong(K key, int offset, long absent) {
    ByteBuffer v = lookup(key, offset, 8);
    return v == null ? absent : Fields.sum(v, cpus, PerCpuValues.slotSize(spec.valueSize()), offset, 8);
  }

  /**
   * The sum over all CPUs of the 4-byte field at {@code offset} of {@code key}'s value, each read as
   * an unsigned {@code __u32}; {@code absent} if the key is not present. One system call; allocates
   * nothing.
   */
  public long sumInt(K key, int offset, long absent) {
    ByteBuffer v = lookup(key, offset, 4);
    return v == null ? absent : Fields.sum(v, cpus, PerCpuValues.slotSize(spec.valueSize()), offset, 4);
  }

  /**
   * Writes each CPU's 8-byte field at {@code offset} of {@code key}'s value into {@code perCpu[cpu]}.
   * One system call; allocates nothing.
   *
   * @return false (and {@code perCpu} untouched) if the key is not present
   * @throws IllegalArgumentException if {@code perCpu} is shorter than {@link #cpus()}
   */
  public boolean getLongs(K key, int offset, long[] perCpu) {
    Fields.checkCpus(perCpu.length, cpus, spec.name());
    ByteBuffer v = lookup(key, offset, 8);
    if (v == null) {
      return false;
    }
    int stride = PerCpuValues.slotSize(spec.valueSize());
    for (int c = 0; c < cpus; c++) {
      perCpu[c] = v.getLong(c * stride + offset);
    }
    return true;
  }

  /** Looks {@code key} up into the thread's value buffer, which it returns; null if absent. */
  private @Nullable ByteBuffer lookup(K key, int offset, int size) {
    Fields.check(offset, size, spec.valueSize(), "per-CPU hash", spec.name());
    Scratch s = Scratch.get();
    encodeKey(key, s.key(keySize), 0);
    ByteBuffer v = s.value(valueSize);
    return found(s, BpfSys.BPF_MAP_LOOKUP_ELEM, s.keyAddress(), s.valueAddress()) ? v : null;
  }

  /** The codec of one CPU's value ({@code spec.valueSize()} bytes; slots are 8-byte aligned). */
  public Codec<V> slotCodec() {
    return slotCodec;
  }

  /** Writes {@code value} into every CPU's slot ({@code BPF_ANY}; one system call). */
  public void setAll(K key, V value) {
    put(key, PerCpuValues.filled(value, cpus), UpdateFlag.ANY);
  }

  /** The number of slots in a value (possible CPUs). */
  public int cpus() {
    return cpus;
  }
}
