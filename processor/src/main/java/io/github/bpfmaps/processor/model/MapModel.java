package io.github.bpfmaps.processor.model;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import java.util.Optional;

/**
 * A {@code @BpfMap} record as the checks and writers need it: the annotation's values and the C types
 * of its key and value components.
 *
 * @param record the annotated record
 * @param name the kernel map name (given, or the snake_case default)
 * @param type the map type
 * @param maxEntries {@code max_entries}
 * @param flags {@code map_flags}
 * @param pinning the pinning
 * @param declaredKeySize {@code keySize()} of the annotation, -1 when not set
 * @param declaredValueSize {@code valueSize()} of the annotation, -1 when not set
 * @param componentCount how many components the record has
 * @param key the key component, empty for keyless types or when it could not be modelled
 * @param value the value component, empty when it could not be modelled
 */
public record MapModel(
    TypeRef record,
    String name,
    MapType type,
    int maxEntries,
    int flags,
    Pinning pinning,
    int declaredKeySize,
    int declaredValueSize,
    int componentCount,
    Optional<Entry> key,
    Optional<Entry> value) {

  /**
   * The key or the value of a map.
   *
   * @param component the record component's name
   * @param javaType the component's Java type as the user wrote it, for messages
   * @param type its C type
   * @param kotlinUnsigned whether it is a Kotlin {@code UByte}..{@code ULong} property: the handle
   *     then takes and returns Kotlin's type ({@code kotlin.UInt}), not the Java one it is stored as
   */
  public record Entry(String component, String javaType, FieldType type, boolean kotlinUnsigned) {
    /** A key or value of a Java record, or a Kotlin property of a signed or non-scalar type. */
    public Entry(String component, String javaType, FieldType type) {
      this(component, javaType, type, false);
    }
  }

  /**
   * True for the types with no key: the record has a single component, the value. For a
   * PERF_EVENT_ARRAY that value is the event type; the kernel's keys and values are CPU indexes and
   * ring fds, which the handle manages.
   */
  public static boolean keyless(MapType type) {
    return type.keyless() || type == MapType.RINGBUF || type == MapType.USER_RINGBUF
        || type == MapType.PERF_EVENT_ARRAY;
  }

  /** How many components a record declaring a map of {@code type} has. */
  public static int expectedComponents(MapType type) {
    return keyless(type) ? 1 : 2;
  }

  /** The key size for {@code SPEC}: 0 for keyless types, 4 (the CPU) for a perf event array. */
  public int keySize() {
    if (type == MapType.PERF_EVENT_ARRAY) {
      return 4;
    }
    return keyless(type) ? 0 : key.map(e -> e.type().size()).orElse(0);
  }

  /**
   * The value size for {@code SPEC}: 0 for ring buffers, whose records are not a kernel-visible value
   * ({@code kernel/bpf/ringbuf.c} requires key_size and value_size 0).
   */
  public int valueSize() {
    if (type == MapType.PERF_EVENT_ARRAY) {
      return 4; // a perf event fd (fd_array_map_alloc_check()); the record's value is the event
    }
    return type == MapType.RINGBUF || type == MapType.USER_RINGBUF
        ? 0
        : value.map(e -> e.type().size()).orElse(0);
  }
}
