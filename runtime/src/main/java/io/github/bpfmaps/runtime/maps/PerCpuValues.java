package io.github.bpfmaps.runtime.maps;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.BinaryOperator;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The value of one per-CPU map entry: one value per <em>possible</em> CPU, index {@code i} being CPU
 * {@code i}'s slot ({@code /sys/devices/system/cpu/possible}). Immutable.
 *
 * <p>Kernel layout ({@code bpf_percpu_hash_copy}/{@code bpf_percpu_array_copy} in {@code
 * kernel/bpf/hashtab.c} and {@code arraymap.c}): the slots are {@code round_up(value_size, 8)}
 * bytes apart; the padding is written as zeros.
 *
 * @param <V> the value type
 */
public final class PerCpuValues<V> extends AbstractList<V> implements RandomAccess {
  private final Object[] values;

  private PerCpuValues(Object[] values) {
    this.values = values;
  }

  /** The values in CPU order; the list must have one per possible CPU when written to a map. */
  public static <V> PerCpuValues<V> of(List<? extends V> values) {
    Object[] a = values.toArray();
    for (Object o : a) {
      Objects.requireNonNull(o, "per-CPU value");
    }
    return new PerCpuValues<>(a);
  }

  /** The same {@code value} in each of {@code cpus} slots. */
  public static <V> PerCpuValues<V> filled(V value, int cpus) {
    Object[] a = new Object[cpus];
    Arrays.fill(a, Objects.requireNonNull(value));
    return new PerCpuValues<>(a);
  }

  static <V> PerCpuValues<V> wrap(Object[] values) {
    return new PerCpuValues<>(values);
  }

  /** The bytes between two CPUs' slots: {@code round_up(valueSize, 8)}. */
  public static int slotSize(int valueSize) {
    return (valueSize + 7) & ~7;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(int cpu) {
    return (V) values[cpu];
  }

  @Override
  public int size() {
    return values.length;
  }

  /** Combines the slots left to right, as {@code Stream.reduce}: e.g. {@code reduce(Long::sum)}. */
  public V reduce(BinaryOperator<V> op) {
    V acc = get(0);
    for (int i = 1; i < values.length; i++) {
      acc = op.apply(acc, get(i));
    }
    return acc;
  }

  /** The sum over CPUs of a long counter in the value: e.g. {@code sum(Stats::packets)}. */
  public long sum(ToLongFunction<? super V> field) {
    long total = 0;
    for (int i = 0; i < values.length; i++) {
      total += field.applyAsLong(get(i));
    }
    return total;
  }

  /** The sum over CPUs of a floating-point field. */
  public double sumDouble(ToDoubleFunction<? super V> field) {
    double total = 0;
    for (int i = 0; i < values.length; i++) {
      total += field.applyAsDouble(get(i));
    }
    return total;
  }
}
