package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.MapSpec;

/**
 * STACK maps: last in, first out. {@link #pop} and {@link #peek} see the newest value; {@code push(v, true)} on a full stack drops the oldest (bottom) value. Costs as {@link BpfPushPopMap}. Thread-safe.
 *
 * @param <V> the value type
 */
public class BpfStack<V> extends BpfPushPopMap<V> {
  /** See {@link BpfPushPopMap#BpfPushPopMap}. */
  public BpfStack(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec, valueCodec);
  }
}
