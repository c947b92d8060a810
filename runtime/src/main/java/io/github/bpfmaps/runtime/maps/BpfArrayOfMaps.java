package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import org.jspecify.annotations.Nullable;

/**
 * ARRAY_OF_MAPS maps: inner maps at indexes {@code 0 .. max_entries-1}; an index starts empty
 * (reads as null) and {@link #remove} empties it again. See {@link BpfMapOfMaps} for the fd-in,
 * id-out rule. Thread-safe.
 */
public class BpfArrayOfMaps extends BpfMapOfMaps<Integer> {
  /** See {@link BpfMapOfMaps}. */
  public BpfArrayOfMaps(MapFd fd, MapSpec spec) {
    super(fd, spec, Codecs.U32);
  }

  /** Stores {@code inner} at {@code index}. One system call. */
  public void set(int index, MapFd inner) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    updateInner(s, inner, UpdateFlag.ANY);
  }

  /** Stores the map of the handle {@code inner} at {@code index}. One system call. */
  public void set(int index, BpfMapHandle inner) {
    set(index, inner.fd());
  }

  /** The id of the inner map at {@code index}, or null if empty. One system call. */
  public @Nullable Integer get(int index) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    return lookupScratchKey(s);
  }
}
