package io.github.bpfmaps.runtime;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.spec.MapSpec;
import java.nio.file.Path;

/**
 * The second process of {@link BpfObjectLoadTest#aMapPinnedByNameIsReusedByASecondLoadAndByAnotherProcess}:
 * loads {@code flows.bpf.o} with the pin root it is given, runs the program once on the test's UDP
 * frame and prints how many entries the (shared) flow table has.
 */
public final class PinnedFlowsChild {
  private PinnedFlowsChild() {}

  public static void main(String[] args) {
    MapSpec spec = MapSpec.of("flows", MapType.HASH, 16, 16, 65536, 0);
    try (BpfObject obj = BpfObject.load(Path.of(args[0]), o -> o.pinRoot(args[1]));
        BpfHashMap<byte[], byte[]> flows = new BpfHashMap<>(obj.mapFd("flows"), spec, Codecs.bytes(16),
            Codecs.bytes(16))) {
      obj.program("xdp_flows").testRun(BpfObjectLoadTest.udpFrame(), 1);
      System.out.println("flows entries " + flows.keys().size());
    }
  }
}
