package io.github.bpfmaps.spec;

import io.github.bpfmaps.annotations.MapFlags;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one comparison of two descriptions of a map's definition: a map a process expects (a record's
 * {@code @BpfMap}, a {@link MapSpec}) and the map it meets (in a compiled object, pinned, or found
 * by id). Reusing a pinned map ({@link MapFd#differences}), binding a record to an object's map
 * ({@link BpfObject#bindMap}) and the annotation processor's object check all call it, so the three
 * find the same differences and word them alike: {@code max_entries: Java 8, C 4; use maxEntries =
 * 4}. Pure, allocation only; reads no file and makes no system call (the processor runs it without
 * JNA).
 *
 * <p>The rules: {@code max_entries} is not compared where the expected side leaves it 0 or for
 * {@code PERF_EVENT_ARRAY} (the kernel fills in the CPU count); {@code BPF_F_INNER_MAP} is masked
 * out of the flags (it marks a template and the kernel does not report it on every inner map); a
 * pinning that differs is a {@link Difference#warning() warning} (the bytes agree).
 */
public final class SpecComparison {
  private SpecComparison() {}

  /**
   * What one side says about a map's definition.
   *
   * @param type the map type, null when the kernel reported a type this library does not know
   * @param typeId the kernel's numeric {@code enum bpf_map_type}
   * @param pinning null where the side does not say (a map found in the kernel)
   */
  public record Definition(
      @Nullable MapType type, int typeId, int keySize, int valueSize, int maxEntries, int flags,
      @Nullable Pinning pinning) {
    /** A spec's definition: a record's, or a map's in a compiled object. */
    public static Definition of(MapSpec s) {
      return new Definition(s.type(), s.type().id(), s.keySize(), s.valueSize(), s.maxEntries(), s.flags(),
          s.pinning());
    }

    /** What the kernel reports of an existing map ({@code bpf_map_info}); it has no pinning. */
    public static Definition of(MapInfo i) {
      return new Definition(i.type(), i.typeId(), i.keySize(), i.valueSize(), i.maxEntries(), i.flags(), null);
    }

    String typeName() {
      return type != null ? type.name() : "type " + typeId;
    }
  }

  /** Which field of a definition differs, by its C name ({@code __uint(max_entries, ...)}). */
  public enum Field {
    TYPE("type"),
    KEY_SIZE("key_size"),
    VALUE_SIZE("value_size"),
    MAX_ENTRIES("max_entries"),
    FLAGS("map_flags"),
    PINNING("pinning");

    private final String cName;

    Field(String cName) {
      this.cName = cName;
    }

    /** The field as C spells it: {@code max_entries}. */
    public String cName() {
      return cName;
    }
  }

  /**
   * One field that differs, with both sides.
   *
   * @param field what differs
   * @param expected the expected side's value (the record, the spec), as text
   * @param found the other side's value (the object, the existing map), as text
   * @param fix the {@code @BpfMap} attribute that would make the record match the object, such as
   *     {@code maxEntries = 4}; null where no attribute does
   * @param warning true when the bytes still agree (pinning); bind and reuse ignore warnings
   */
  public record Difference(Field field, String expected, String found, @Nullable String fix, boolean warning) {
    /**
     * The sentence every caller prints: {@code max_entries: Java 8, C 4 (where); use maxEntries = 4}.
     *
     * @param expectedSide what the expected side is called: {@code Java}, {@code expected}
     * @param foundSide what the other side is called: {@code C}, {@code found}
     * @param where put after the values, before the fix (may be empty)
     * @param withFix whether to add the {@code @BpfMap} fix (not for a pinned map, whose spec came
     *     from an object rather than a record)
     */
    public String message(String expectedSide, String foundSide, String where, boolean withFix) {
      return field.cName() + ": " + expectedSide + " " + expected + ", " + foundSide + " " + found + where
          + (withFix && fix != null ? "; use " + fix : "");
    }
  }

  /** Every field where {@code found} differs from {@code expected}, in field order; empty when they match. */
  public static List<Difference> definitions(Definition expected, Definition found) {
    List<Difference> d = new ArrayList<>();
    if (expected.typeId() != found.typeId()) {
      d.add(new Difference(Field.TYPE, expected.typeName(), found.typeName(),
          found.type() != null ? "type = MapType." + found.type().name() : null, false));
    }
    if (expected.keySize() != found.keySize()) {
      d.add(new Difference(Field.KEY_SIZE, Integer.toString(expected.keySize()), Integer.toString(found.keySize()),
          null, false));
    }
    if (expected.valueSize() != found.valueSize()) {
      d.add(new Difference(Field.VALUE_SIZE, Integer.toString(expected.valueSize()),
          Integer.toString(found.valueSize()), null, false));
    }
    boolean entriesMatter = expected.maxEntries() != 0 && expected.type() != MapType.PERF_EVENT_ARRAY;
    if (entriesMatter && expected.maxEntries() != found.maxEntries()) {
      d.add(new Difference(Field.MAX_ENTRIES, Integer.toString(expected.maxEntries()),
          Integer.toString(found.maxEntries()), "maxEntries = " + found.maxEntries(), false));
    }
    // BPF_F_INNER_MAP only marks a template; the kernel does not report it on an outer map's inner maps.
    int mask = ~MapFlags.INNER_MAP;
    if ((expected.flags() & mask) != (found.flags() & mask)) {
      d.add(new Difference(Field.FLAGS, hex(expected.flags()), hex(found.flags()),
          "flags = " + hex(found.flags()), false));
    }
    if (expected.pinning() != null && found.pinning() != null && expected.pinning() != found.pinning()) {
      d.add(new Difference(Field.PINNING, expected.pinning().name(),
          found.pinning() == Pinning.BY_NAME ? "LIBBPF_PIN_BY_NAME" : "LIBBPF_PIN_NONE",
          "pinning = Pinning." + found.pinning().name(), true));
    }
    return d;
  }

  /** The errors among {@code differences} (warnings left out), each as {@link Difference#message}. */
  public static List<String> messages(List<Difference> differences, String expectedSide, String foundSide,
      boolean withFix) {
    List<String> out = new ArrayList<>();
    for (Difference d : differences) {
      if (!d.warning()) {
        out.add(d.message(expectedSide, foundSide, "", withFix));
      }
    }
    return out;
  }

  private static String hex(int flags) {
    return "0x" + Integer.toHexString(flags);
  }
}
