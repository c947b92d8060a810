package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;

/**
 * The maps used without a key (QUEUE, STACK, BLOOM_FILTER: {@code MapType.keyless()}): every
 * command passes a null key and the element as the value. Thread-safe.
 *
 * @param <V> the element type
 */
public abstract class BpfKeylessMap<V> extends BpfMapHandle {
  /** The element codec. */
  protected final Codec<V> valueCodec;
  /** Bytes of one element. */
  protected final int valueSize;

  /**
   * @param valueCodec encodes elements of {@code spec.valueSize()} bytes
   * @throws IllegalArgumentException if the codec's size differs from the spec
   */
  protected BpfKeylessMap(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec);
    this.valueCodec = valueCodec;
    this.valueSize = checkSize(spec, valueCodec, spec.valueSize(), "value");
  }

  /** Encodes {@code value} into this thread's value buffer and returns the scratch. */
  final Scratch encoded(V value) {
    Scratch s = Scratch.get();
    try {
      valueCodec.encode(value, s.value(valueSize), 0);
    } catch (BpfValueException e) {
      throw e.of(spec.name(), "value");
    }
    return s;
  }

  /**
   * Adds {@code value} ({@code BPF_MAP_UPDATE_ELEM} with a null key and {@code flags}: one system
   * call, no allocation).
   *
   * @throws io.github.bpfmaps.errors.BpfMapFullException if the map is full
   */
  protected final void insert(V value, long flags) {
    int err = elem(BpfSys.BPF_MAP_UPDATE_ELEM, 0, encoded(value).valueAddress(), flags);
    if (err != 0) {
      throw error(BpfSys.BPF_MAP_UPDATE_ELEM, err,
          err == Errno.E2BIG ? "full at max_entries " + spec.maxEntries() : null);
    }
  }
}
