package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The keyless QUEUE and STACK maps ({@code kernel/bpf/queue_stack_maps.c}): {@link #push} is {@code
 * BPF_MAP_UPDATE_ELEM} with a null key, {@link #pop} is {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM},
 * {@link #peek} is {@code BPF_MAP_LOOKUP_ELEM}. Which end {@code pop} takes from is the subclass's
 * order. Each call is one system call and allocates only the returned value. Thread-safe: each pop
 * returns a different element.
 *
 * @param <V> the value type
 */
public abstract class BpfPushPopMap<V> extends BpfKeylessMap<V> {
  /**
   * @param valueCodec encodes values of {@code spec.valueSize()} bytes
   * @throws IllegalArgumentException if the codec's size differs from the spec
   */
  protected BpfPushPopMap(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec, valueCodec);
  }

  /**
   * Adds {@code value}.
   *
   * @throws io.github.bpfmaps.errors.BpfMapFullException if the map holds {@code max_entries}
   *     values
   */
  public void push(V value) {
    push(value, false);
  }

  /**
   * Adds {@code value}; when full and {@code overwrite} is true, the oldest value is dropped to make
   * room ({@code BPF_EXIST}).
   */
  public void push(V value, boolean overwrite) {
    insert(value, overwrite ? 2 : 0); // BPF_EXIST: replace the oldest when full
  }

  /** Removes and returns the next value, or null if empty. */
  public @Nullable V pop() {
    return read(BpfSys.BPF_MAP_LOOKUP_AND_DELETE_ELEM, 0, Scratch.get(), valueCodec, valueSize);
  }

  /** Returns the next value without removing it, or null if empty. */
  public @Nullable V peek() {
    return read(BpfSys.BPF_MAP_LOOKUP_ELEM, 0, Scratch.get(), valueCodec, valueSize);
  }

  /** Pops until empty; allocates the list. One system call per value, plus one. */
  public List<V> drain() {
    List<V> out = new ArrayList<>();
    for (V v = pop(); v != null; v = pop()) {
      out.add(v);
    }
    return out;
  }
}
