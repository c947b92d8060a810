package io.github.bpfmaps.runtime.maps;

import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Codec;
import java.nio.ByteBuffer;

/** All CPUs' slots of a per-CPU value, each {@code round_up(size, 8)} bytes (see {@link PerCpuValues}). */
final class PerCpuCodec<V> implements Codec<PerCpuValues<V>> {
  private final Codec<V> slot;
  private final int cpus;
  private final int stride;

  PerCpuCodec(Codec<V> slot, int cpus) {
    this.slot = slot;
    this.cpus = cpus;
    this.stride = PerCpuValues.slotSize(slot.byteSize());
  }

  @Override
  public int byteSize() {
    return stride * cpus;
  }

  @Override
  public void encode(PerCpuValues<V> value, ByteBuffer buf, int offset) {
    if (value == null || value.size() != cpus) {
      throw new BpfValueException("encode", "a per-CPU value needs one value for each of the "
          + cpus + " possible CPUs, got " + (value == null ? "null" : value.size()));
    }
    int pad = stride - slot.byteSize();
    for (int cpu = 0; cpu < cpus; cpu++) {
      int at = offset + cpu * stride;
      slot.encode(value.get(cpu), buf, at);
      for (int i = 0; i < pad; i++) {
        buf.put(at + slot.byteSize() + i, (byte) 0);
      }
    }
  }

  @Override
  public PerCpuValues<V> decode(ByteBuffer buf, int offset) {
    Object[] values = new Object[cpus];
    for (int cpu = 0; cpu < cpus; cpu++) {
      values[cpu] = slot.decode(buf, offset + cpu * stride);
    }
    return PerCpuValues.wrap(values);
  }
}
