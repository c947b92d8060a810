package io.github.bpfmaps.runtime;

import java.nio.file.Path;

/**
 * An owned file descriptor of a kernel map. SCAFFOLD: the runtime issue (#8) implements it.
 */
public final class MapFd implements AutoCloseable {
  private MapFd() {}

  public static MapFd create(MapSpec spec) {
    throw new UnsupportedOperationException("runtime not implemented yet");
  }

  public static MapFd openPinned(Path path, MapSpec spec) {
    throw new UnsupportedOperationException("runtime not implemented yet");
  }

  public static MapFd fromId(int id, MapSpec spec) {
    throw new UnsupportedOperationException("runtime not implemented yet");
  }

  @Override
  public void close() {}
}
