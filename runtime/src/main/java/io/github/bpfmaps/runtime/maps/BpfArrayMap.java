package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;

/**
 * ARRAY maps: {@code max_entries} values indexed {@code 0 .. max_entries-1}, all present from the
 * start (zeroed); entries cannot be deleted, so the handle has no deleting operations (see {@link
 * BpfIndexedMap}) and {@link #clear()} writes zeros. {@code get(i)}/{@code set(i, v)} (Kotlin:
 * {@code m[i]}, {@code m[i] = v}) are the inherited keyed operations; {@link #getAt(int)}, {@link
 * #setAt(int, Object)} and the {@code getLongAt}/{@code setLongAt} family take the index as a
 * primitive and allocate nothing but the returned value. An index past the end reads as null and
 * fails to write with E2BIG ({@link io.github.bpfmaps.errors.BpfMapFullException}, whose message
 * gives the index; a negative {@code int} is a {@code u32} index past the end).
 *
 * <p>A map created with {@code BPF_F_MMAPABLE} can also be read and written through shared memory,
 * with no system call at all: see {@link #mmap()}. Thread-safe.
 *
 * @param <V> the value type
 */
public class BpfArrayMap<V> extends BpfIndexedMap<V> {
  /**
   * @param valueCodec encodes values of {@code spec.valueSize()} bytes
   */
  public BpfArrayMap(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec, valueCodec);
  }

  /**
   * The 8-byte value at {@code index} as a {@code long}, {@code absent} past the end: {@link
   * BpfKeyedMap#getLong} with a primitive index. One system call; no allocation.
   *
   * @throws IllegalStateException if the values are not 8 bytes
   */
  public long getLongAt(int index, long absent) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    return lookupLong(s, absent);
  }

  /** The 4-byte value at {@code index} as an {@code int}; see {@link #getLongAt(int, long)}. */
  public int getIntAt(int index, int absent) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    return lookupInt(s, absent);
  }

  /** Writes an 8-byte value at {@code index} without boxing it. One system call; no allocation. */
  public void setLongAt(int index, long value) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    updateLong(s, value);
  }

  /** Writes a 4-byte value at {@code index} without boxing it. One system call; no allocation. */
  public void setIntAt(int index, int value) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    updateInt(s, value);
  }

  /**
   * Maps the array's values into this process ({@code mmap(MAP_SHARED)} of the map fd: one system
   * call, and one more to unmap on {@link ArrayMmap#close()}). The map must have been created with
   * {@code BPF_F_MMAPABLE}.
   *
   * @throws IllegalStateException if the map is not mmapable
   * @throws io.github.bpfmaps.errors.BpfSyscallException if the kernel refuses the mapping (EPERM
   *     for a frozen map)
   */
  public ArrayMmap<V> mmap() {
    if ((spec.flags() & MapFlags.MMAPABLE) == 0) {
      throw new IllegalStateException("ARRAY map '" + spec.name()
          + "' was not created with BPF_F_MMAPABLE (MapFlags.MMAPABLE), so it cannot be mmapped");
    }
    return new ArrayMmap<>(fd, spec, valueCodec);
  }
}
