package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.MapSpec;

/** ARRAY_OF_MAPS maps. SCAFFOLD: the runtime issue (#8) implements it. */
public class BpfArrayOfMaps extends BpfMapHandle {
  public BpfArrayOfMaps(MapFd fd, MapSpec spec) {
    super(fd, spec);
  }
}
