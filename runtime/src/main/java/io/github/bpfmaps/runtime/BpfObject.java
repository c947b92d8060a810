package io.github.bpfmaps.runtime;

import org.jspecify.annotations.Nullable;

/** A compiled BPF object. SCAFFOLD: the loader issue (#3) implements it. */
public final class BpfObject implements AutoCloseable {
  private BpfObject() {}

  public MapFd bindMap(MapSpec spec, @Nullable Codec<?> key, Codec<?> value) {
    throw new UnsupportedOperationException("loader not implemented yet");
  }

  @Override
  public void close() {}
}
