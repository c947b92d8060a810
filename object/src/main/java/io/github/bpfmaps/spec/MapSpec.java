package io.github.bpfmaps.spec;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
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

  /** The plain immutable spec behind {@link #of}. */
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
