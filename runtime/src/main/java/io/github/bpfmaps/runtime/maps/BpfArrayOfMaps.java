package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import org.jspecify.annotations.Nullable;

/**
 * ARRAY_OF_MAPS maps: inner maps at indexes {@code 0 .. max_entries-1}; an index starts empty
 * (reads as null) and {@link #remove} empties it again (the kernel's {@code
 * fd_array_map_delete_elem}). See {@link BpfMapOfMaps} for the fd-in, id-out rule. Thread-safe.
 */
public class BpfArrayOfMaps extends BpfMapOfMaps<Integer> {
  /** See {@link BpfMapOfMaps}. */
  public BpfArrayOfMaps(MapFd fd, MapSpec spec) {
    super(fd, spec, Codecs.U32);
  }

  /** The number of indexes ({@code max_entries}). No system call. */
  public int length() {
    return spec.maxEntries();
  }

  /**
   * Stores {@code inner} at {@code index}, the index as a primitive. One system call.
   *
   * <p>Named {@code setAt}/{@code getAt}, as on {@link BpfIndexedMap}, so that Kotlin's {@code
   * outer[i]} resolves: {@code get(int)} next to the inherited {@code get(Integer)} would both be
   * {@code get(Int)} to Kotlin.
   */
  public void setAt(int index, MapFd inner) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    updateInner(s, inner, UpdateFlag.ANY);
  }

  /** Stores the map of the handle {@code inner} at {@code index}. One system call. */
  public void setAt(int index, BpfMapHandle inner) {
    setAt(index, inner.fd());
  }

  /** The id of the inner map at {@code index}, or null if empty. One system call. */
  public @Nullable Integer getAt(int index) {
    Scratch s = Scratch.get();
    s.key(4).putInt(0, index);
    return ids.lookupScratchKey(s);
  }
}
