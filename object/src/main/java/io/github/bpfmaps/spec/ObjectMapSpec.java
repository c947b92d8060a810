package io.github.bpfmaps.spec;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A map as a compiled object declares it: the {@link MapSpec} fields, plus where it came from, its
 * BTF key and value types, and for global-data maps the initial bytes. Immutable.
 */
public final class ObjectMapSpec implements MapSpec {
  private final MapSpec spec;
  private final MapKind kind;
  private final String section;
  private final int keyTypeId;
  private final int valueTypeId;
  private final byte[] initialData;
  private final Map<Integer, String> initialSlots;

  /**
   * @param spec the kernel-facing fields
   * @param kind which convention declared the map
   * @param section the ELF section of the definition
   * @param keyTypeId the BTF id of the key type, 0 when unknown
   * @param valueTypeId the BTF id of the value type (for global data, of the DATASEC), 0 when unknown
   * @param initialData the initial value of a global-data map (copied); empty otherwise
   * @param initialSlots for map-in-map and program arrays declared with {@code .values = {...}}:
   *     slot index to the name of the map (or program) placed there at load
   */
  public ObjectMapSpec(
      MapSpec spec,
      MapKind kind,
      String section,
      int keyTypeId,
      int valueTypeId,
      byte[] initialData,
      Map<Integer, String> initialSlots) {
    this.spec = spec;
    this.kind = kind;
    this.section = section;
    this.keyTypeId = keyTypeId;
    this.valueTypeId = valueTypeId;
    this.initialData = initialData.clone();
    this.initialSlots = Map.copyOf(initialSlots);
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public MapType type() {
    return spec.type();
  }

  @Override
  public int keySize() {
    return spec.keySize();
  }

  @Override
  public int valueSize() {
    return spec.valueSize();
  }

  @Override
  public int maxEntries() {
    return spec.maxEntries();
  }

  @Override
  public int flags() {
    return spec.flags();
  }

  @Override
  public Pinning pinning() {
    return spec.pinning();
  }

  @Override
  public @Nullable MapSpec innerMap() {
    return spec.innerMap();
  }

  /** Which convention declared the map. */
  public MapKind kind() {
    return kind;
  }

  /** The ELF section of the definition ({@code .maps}, {@code maps}, {@code .rodata}, ...). */
  public String section() {
    return section;
  }

  /** The BTF type id of the key, or 0 when the object has no BTF for it. */
  public int keyTypeId() {
    return keyTypeId;
  }

  /** The BTF type id of the value (for global data, the DATASEC), or 0. */
  public int valueTypeId() {
    return valueTypeId;
  }

  /** A copy of the initial value of a global-data map; empty for other maps. Allocates. */
  public byte[] initialData() {
    return initialData.clone();
  }

  /** Slots filled at load time (index to map or program name); empty for most maps. */
  public Map<Integer, String> initialSlots() {
    return initialSlots;
  }

  /** True for {@code .rodata} maps, which the loader freezes once their value is written. */
  public boolean freezeAfterLoad() {
    return kind == MapKind.GLOBAL_DATA && (flags() & MapFlags.RDONLY_PROG) != 0;
  }

  /** This spec with another initial value (a copy; this one is unchanged). */
  public ObjectMapSpec withInitialData(byte[] data) {
    return new ObjectMapSpec(spec, kind, section, keyTypeId, valueTypeId, data, initialSlots);
  }

  /**
   * This spec with other kernel-facing fields (a copy), as an editable object spec changes it before
   * load; {@code dropBtf} forgets the BTF key and value types (a resized key or value no longer
   * matches them).
   */
  public ObjectMapSpec edited(MapSpec edited, boolean dropBtf) {
    return new ObjectMapSpec(edited, kind, section, dropBtf ? 0 : keyTypeId, dropBtf ? 0 : valueTypeId,
        initialData, initialSlots);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ObjectMapSpec)) {
      return false;
    }
    ObjectMapSpec m = (ObjectMapSpec) o;
    return spec.equals(m.spec) && kind == m.kind && section.equals(m.section) && keyTypeId == m.keyTypeId
        && valueTypeId == m.valueTypeId && Arrays.equals(initialData, m.initialData)
        && initialSlots.equals(m.initialSlots);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, kind, section);
  }

  @Override
  public String toString() {
    return kind + " map '" + name() + "' " + type() + " key=" + keySize() + " value=" + valueSize()
        + " max_entries=" + maxEntries() + " flags=0x" + Integer.toHexString(flags())
        + (pinning() == Pinning.NONE ? "" : " pinned " + pinning())
        + (innerMap() == null ? "" : " inner=" + innerMap());
  }
}
