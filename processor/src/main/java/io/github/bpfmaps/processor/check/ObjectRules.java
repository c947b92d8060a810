package io.github.bpfmaps.processor.check;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfLayoutCheck.Difference;
import io.github.bpfmaps.elf.BtfLayoutCheck;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.processor.model.FieldType;
import io.github.bpfmaps.processor.model.Layouts;
import io.github.bpfmaps.processor.model.MapModel;
import io.github.bpfmaps.processor.model.Member;
import io.github.bpfmaps.spec.MapKind;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.SpecComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a {@code @BpfMap} record against the map of the same name in a compiled BPF object: the map
 * type, {@code max_entries}, flags and pinning with {@link SpecComparison} and, when the object has
 * BTF for the key and value, every member and enum constant with {@link BtfLayoutCheck}: the two
 * comparisons {@code BpfObject.bindMap} runs at run time, so compile time and run time never
 * disagree and word their findings alike.
 *
 * <p>What differs in bytes is an error; a C member with another name at the same offset, and a
 * pinning that differs, are warnings (the bytes agree). {@code flags} are compared even when the
 * record leaves them at their default 0: the generated {@code SPEC} creates maps with them and
 * {@code bindMap} refuses a map whose flags differ, so the build says so first.
 */
public final class ObjectRules {
  private ObjectRules() {}

  /**
   * A problem and, for key and value members, the Java member names leading to it from the key or
   * value ({@code ["stats", "bytes"]}); empty for the component itself or the whole map.
   */
  public record Found(Problem problem, List<String> javaPath) {
    public Found {
      javaPath = List.copyOf(javaPath);
    }
  }

  /**
   * Every difference between {@code map} and the object's map of the same name.
   *
   * @param objectName the object as the user named it, for messages ({@code counter.bpf.o})
   */
  public static List<Found> check(MapModel map, ParsedObject object, String objectName) {
    List<Found> out = new ArrayList<>();
    String in = " (map '" + map.name() + "' of " + objectName + ")";
    Optional<ObjectMapSpec> found = object.maps().stream()
        .filter(m -> m.name().equals(map.name())).findFirst();
    if (found.isEmpty()) {
      String names = object.maps().stream().filter(m -> m.kind() != MapKind.GLOBAL_DATA)
          .map(m -> m.name()).collect(Collectors.joining(", "));
      out.add(map(Problem.Site.NAME, "BpfMapBtfMissingMap", objectName + " declares no map '"
          + map.name() + "'" + (names.isEmpty() ? "; it declares no maps" : "; it declares " + names)
          + "; set name = \"...\" to the C map's name or rebuild the object"));
      return out;
    }
    ObjectMapSpec c = found.get();
    // The definition: the comparison bind and pinned-map reuse run too (SpecComparison). Key and
    // value sizes are left to the entries below, which say which member makes the difference.
    SpecComparison.Definition java = new SpecComparison.Definition(map.type(), map.type().id(),
        c.keySize(), c.valueSize(), map.maxEntries(), map.flags(), map.pinning());
    for (SpecComparison.Difference d : SpecComparison.definitions(java, SpecComparison.Definition.of(c))) {
      String message = d.message("Java", "C", in, true);
      out.add(d.warning()
          ? new Found(Problem.warning(Problem.Site.RECORD, DEFINITION_TAGS.get(d.field()), message), List.of())
          : map(DEFINITION_SITES.get(d.field()), DEFINITION_TAGS.get(d.field()), message));
    }
    if (c.type() == MapType.RINGBUF || c.type() == MapType.USER_RINGBUF) {
      // The C map has no value type: a ring buffer carries whatever the program reserves, so BTF
      // has nothing to compare the record with. Say so rather than pass silently.
      out.add(new Found(Problem.note(Problem.Site.VALUE, "BpfMapBtfRingBufRecord", "map '" + map.name()
          + "' of " + objectName + " is a ring buffer, whose C definition has no record type: the map"
          + " definition was checked, the record's layout was not (compare it with the struct the"
          + " program submits)"), List.of()));
    }
    map.key().ifPresent(k -> entry(out, "key", Problem.Site.KEY, k, map.keySize(), c.keySize(),
        c.keyTypeId(), object.btf(), in));
    map.value().ifPresent(v -> entry(out, "value", Problem.Site.VALUE, v, map.valueSize(), c.valueSize(),
        c.kind() == MapKind.GLOBAL_DATA ? 0 : c.valueTypeId(), object.btf(), in));
    return out;
  }

  private static void entry(List<Found> out, String what, Problem.Site site, MapModel.Entry e,
      int javaSize, int cSize, int typeId, Btf btf, String in) {
    List<Difference> diffs = btf == null || typeId == 0
        ? List.of()
        : BtfLayoutCheck.compare(btf, typeId, Layouts.ofEntry(e.component(), e.type()), what);
    if (javaSize != cSize && diffs.stream().noneMatch(d -> d.javaPath().isEmpty())) {
      // No BTF says why; the sizes alone do.
      out.add(new Found(Problem.error(site, "BpfMapBtfSize", what + ": Java " + javaName(e.type())
          + " of " + javaSize + " bytes, C " + what + " of " + cSize + " bytes" + in), List.of()));
    }
    for (Difference d : diffs) {
      out.add(new Found(new Problem(d.warning() ? Problem.Severity.WARNING : Problem.Severity.ERROR, site,
          tag(d.kind()), describe(e, d) + ": " + d.detail() + in), d.javaPath()));
    }
  }

  /** {@code value.bytes: Java long at offset 8, C __u32 bytes at offset 8}. */
  private static String describe(MapModel.Entry e, Difference d) {
    FieldType t = e.type();
    for (String name : d.javaPath()) {
      t = memberType(t, name);
    }
    StringBuilder b = new StringBuilder(d.path()).append(": Java ").append(javaName(t));
    if (d.javaOffset() >= 0) {
      b.append(" at offset ").append(d.javaOffset());
    }
    if (d.kind() == BtfLayoutCheck.Kind.MISSING_MEMBER) {
      return b.toString();
    }
    if (d.kind() == BtfLayoutCheck.Kind.ENUM_VALUE || d.kind() == BtfLayoutCheck.Kind.ENUM_NAME) {
      return d.path(); // the detail names both constants
    }
    b.append(", C ").append(d.cType());
    if (!d.cMember().isEmpty()) {
      b.append(' ').append(d.cMember()).append(" at offset ").append(d.cOffset());
    }
    return b.toString();
  }

  private static FieldType memberType(FieldType t, String name) {
    FieldType s = t instanceof FieldType.ArrayType a ? a.element() : t;
    if (s instanceof FieldType.StructType st) {
      for (Member m : st.layout().members()) {
        if (m.name().equals(name)) {
          return m.type();
        }
      }
    }
    return t;
  }

  /** The Java spelling of a modelled type, annotations that change its C type included. */
  public static String javaName(FieldType t) {
    if (t instanceof FieldType.Scalar s) {
      String ann = (s.networkOrder() ? "@NetworkOrder " : "")
          + (s.unsigned() && s.java() != io.github.bpfmaps.processor.model.JavaPrimitive.CHAR ? "@Unsigned " : "")
          + (s.narrowed() ? "@Width(" + s.width() + ") " : "");
      return ann + s.java().keyword();
    }
    if (t instanceof FieldType.EnumType en) {
      return en.name().simpleName();
    }
    if (t instanceof FieldType.StringType st) {
      return "@Size(" + st.length() + ") String";
    }
    if (t instanceof FieldType.ArrayType a) {
      return "@Size(" + a.length() + ") " + javaName(a.element()) + "[]";
    }
    return ((FieldType.StructType) t).layout().name().simpleName();
  }

  private static String tag(BtfLayoutCheck.Kind kind) {
    switch (kind) {
      case SIZE: return "BpfMapBtfSize";
      case OFFSET: return "BpfMapBtfOffset";
      case ARRAY_LENGTH: return "BpfMapBtfArrayLength";
      case SIGNEDNESS: return "BpfMapBtfSignedness";
      case NETWORK_ORDER: return "BpfMapBtfNetworkOrder";
      case MISSING_MEMBER: return "BpfMapBtfMissingMember";
      case NAME: return "BpfMapBtfName";
      case ENUM_VALUE: return "BpfMapBtfEnumValue";
      case ENUM_NAME: return "BpfMapBtfEnumName";
      default: return "BpfMapBtfKind";
    }
  }

  private static final Map<SpecComparison.Field, String> DEFINITION_TAGS = Map.of(
      SpecComparison.Field.TYPE, "BpfMapBtfMapType",
      SpecComparison.Field.KEY_SIZE, "BpfMapBtfSize",
      SpecComparison.Field.VALUE_SIZE, "BpfMapBtfSize",
      SpecComparison.Field.MAX_ENTRIES, "BpfMapBtfMaxEntries",
      SpecComparison.Field.FLAGS, "BpfMapBtfFlags",
      SpecComparison.Field.PINNING, "BpfMapBtfPinning");

  private static final Map<SpecComparison.Field, Problem.Site> DEFINITION_SITES = Map.of(
      SpecComparison.Field.TYPE, Problem.Site.TYPE,
      SpecComparison.Field.KEY_SIZE, Problem.Site.KEY,
      SpecComparison.Field.VALUE_SIZE, Problem.Site.VALUE,
      SpecComparison.Field.MAX_ENTRIES, Problem.Site.MAX_ENTRIES,
      SpecComparison.Field.FLAGS, Problem.Site.FLAGS,
      SpecComparison.Field.PINNING, Problem.Site.RECORD);

  private static Found map(Problem.Site site, String tag, String message) {
    return new Found(Problem.error(site, tag, message), List.of());
  }
}
