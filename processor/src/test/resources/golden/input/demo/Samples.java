package demo;

import io.github.bpfmaps.annotations.Align;
import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Packed;
import io.github.bpfmaps.annotations.Padding;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Width;

/** A ring buffer (no key or value size in the spec) of a record with every layout annotation. */
@BpfMap(type = MapType.RINGBUF, maxEntries = 256 * 1024)
public record Samples(Samples.Sample value) {
  @Align(16)
  public record Sample(byte cpu, @Padding(2) int pid, @Width(1) Kind kind, Header header,
      @Size(2) Header[] history, @Size(8) byte[] raw) {}

  @Packed
  public record Header(byte version, long stamp) {}
}
