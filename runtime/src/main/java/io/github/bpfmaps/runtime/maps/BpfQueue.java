package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;

/**
 * QUEUE maps: first in, first out. {@link #pop} and {@link #peek} see the oldest value; {@code push(v, true)} on a full queue drops the oldest. Costs as {@link BpfPushPopMap}. Thread-safe.
 *
 * @param <V> the value type
 */
public class BpfQueue<V> extends BpfPushPopMap<V> {
  /** See {@link BpfPushPopMap#BpfPushPopMap}. */
  public BpfQueue(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec, valueCodec);
  }
}
