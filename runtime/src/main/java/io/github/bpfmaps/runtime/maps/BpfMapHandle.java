package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** The base of every map handle. SCAFFOLD: the runtime issue (#8) implements it. */
public abstract class BpfMapHandle implements AutoCloseable {
  protected final MapFd fd;
  protected final MapSpec spec;

  protected BpfMapHandle(MapFd fd, MapSpec spec) {
    this.fd = fd;
    this.spec = spec;
  }

  @Override
  public void close() {
    fd.close();
  }
}
