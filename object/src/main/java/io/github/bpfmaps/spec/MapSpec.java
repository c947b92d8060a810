package io.github.bpfmaps.spec;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a map is, before or apart from any kernel object: the fields of {@code BPF_MAP_CREATE} that
 * decide whether two maps are compatible. Generated handles carry one as {@code SPEC}; a parsed
 * {@link BpfObject} reports one per map it declares.
 */
public interface MapSpec {
  /** The map's name (the kernel keeps the first 15 bytes). */
  String name();

  /** The map's type. */
  MapType type();

  /** The key size in bytes; 0 for keyless types. */
  int keySize();

  /** The value size in bytes, per CPU for per-CPU types; 0 for ring buffers. */
  int valueSize();

  /** The kernel's {@code max_entries} (bytes of data area, for ring buffers). */
  int maxEntries();

  /** The kernel's {@code map_flags}. */
  int flags();

  /** How the map is pinned when loaded with a pin root. */
  default Pinning pinning() {
    return Pinning.NONE;
  }

  /** For map-in-map types, the template of the inner maps; null otherwise. */
  default @Nullable MapSpec innerMap() {
    return null;
  }

  /** A spec with no pinning and no inner map. */
  static MapSpec of(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags) {
    return new BasicMapSpec(name, type, keySize, valueSize, maxEntries, flags, Pinning.NONE, null);
  }

  /** A spec with every field given. */
  static MapSpec of(
      String name,
      MapType type,
      int keySize,
      int valueSize,
      int maxEntries,
      int flags,
      Pinning pinning,
      @Nullable MapSpec innerMap) {
    return new BasicMapSpec(name, type, keySize, valueSize, maxEntries, flags, pinning, innerMap);
  }

  /**
   * A builder of a spec, for code that reads well: {@code MapSpec.builder("flows",
   * MapType.HASH).keySize(16).valueSize(24).maxEntries(65536).build()}. Unset sizes and flags
   * are 0, pinning {@link Pinning#NONE}, no inner map.
   */
  static Builder builder(String name, MapType type) {
    return new Builder(name, type);
  }

  /** Builds a {@link MapSpec}; not thread-safe, each setter returns the builder. */
  final class Builder {
    private final String name;
    private final MapType type;
    private int keySize;
    private int valueSize;
    private int maxEntries;
    private int flags;
    private Pinning pinning = Pinning.NONE;
    private @Nullable MapSpec innerMap;

    private Builder(String name, MapType type) {
      this.name = Objects.requireNonNull(name, "name");
      this.type = Objects.requireNonNull(type, "type");
    }

    /** The key size in bytes. */
    public Builder keySize(int keySize) {
      this.keySize = keySize;
      return this;
    }

    /** The value size in bytes (per CPU for per-CPU types). */
    public Builder valueSize(int valueSize) {
      this.valueSize = valueSize;
      return this;
    }

    /** The kernel's {@code max_entries}. */
    public Builder maxEntries(int maxEntries) {
      this.maxEntries = maxEntries;
      return this;
    }

    /** The kernel's {@code map_flags} ({@code MapFlags} constants or-ed together). */
    public Builder flags(int flags) {
      this.flags = flags;
      return this;
    }

    /** How the map is pinned when loaded with a pin root. */
    public Builder pinning(Pinning pinning) {
      this.pinning = Objects.requireNonNull(pinning, "pinning");
      return this;
    }

    /** The template of the inner maps of a map-in-map type. */
    public Builder innerMap(MapSpec innerMap) {
      this.innerMap = Objects.requireNonNull(innerMap, "innerMap");
      return this;
    }

    /** The immutable spec. */
    public MapSpec build() {
      return new BasicMapSpec(name, type, keySize, valueSize, maxEntries, flags, pinning, innerMap);
    }
  }

  /** The plain immutable spec behind {@link #of} and {@link #builder}. */
  record BasicMapSpec(
      String name,
      MapType type,
      int keySize,
      int valueSize,
      int maxEntries,
      int flags,
      Pinning pinning,
      @Nullable MapSpec innerMap)
      implements MapSpec {}
}
