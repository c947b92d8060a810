package io.github.bpfmaps.tools;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.elf.Btf;
import io.github.bpfmaps.elf.BtfKind;
import io.github.bpfmaps.elf.BtfType;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.spec.MapKind;
import io.github.bpfmaps.spec.ObjectMapSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes Java records for the maps of a compiled BPF object from its BTF, the way {@code bpf2go}
 * writes Go types: one {@code @BpfMap} record per map, a record per C struct (with {@code @Padding}
 * where C leaves holes, {@code @Packed}/{@code @Align} where its layout needs them, {@code @CName} where
 * the Java name differs), an enum per C enum (with {@code @CValue}), {@code @Unsigned} and
 * {@code @NetworkOrder} ({@code __be16/32/64}) on integers. The records are laid out by the processor
 * exactly as the C structs are; {@code object = "x.bpf.o"} makes the processor check that on every build.
 *
 * <p>What records cannot express is skipped with a reason: bitfields, unions, pointers, anonymous
 * members, global-data maps (read them through {@code BpfObjectSpec} variables). Pure; no system call.
 */
public final class RecordGenerator {
  /**
   * What {@link #generate} wrote.
   *
   * @param files Java source per simple type name, sorted by name
   * @param skipped one sentence per map that has no record, saying why
   */
  public record Output(Map<String, String> files, List<String> skipped) {}

  /** A C construct records cannot express. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message, null, false, false);
    }
  }

  /** A Java component type: its annotations, its type, and the C size and alignment the processor will compute. */
  private record JType(String annotations, String type, int size, int align) {
    String declare(String name) {
      return annotations + type + " " + name;
    }
  }

  private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
      "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum",
      "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof",
      "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
      "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
      "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "record", "yield",
      // Not keywords, but a record component may not be named like an Object method (JLS 8.10.3).
      "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

  private static final List<String> ANNOTATIONS = List.of("Align", "BpfMap", "CName", "CValue", "MapType",
      "NetworkOrder", "Packed", "Padding", "Pinning", "Size", "Unsigned", "Width");

  private final ParsedObject object;
  private final String objectFile;
  private final String packageName;
  private final boolean objectAttribute;
  private final @Nullable Btf btf;
  private final Map<String, String> files = new TreeMap<>();
  private final List<String> skipped = new ArrayList<>();
  /** Java names of generated structs and enums, by BTF type id. */
  private final Map<Integer, String> named = new HashMap<>();
  private final Map<Integer, JType> structTypes = new HashMap<>();
  private final Set<String> taken = new java.util.HashSet<>();

  private RecordGenerator(ParsedObject object, String objectFile, String packageName, boolean objectAttribute) {
    this.object = object;
    this.objectFile = objectFile;
    this.packageName = packageName;
    this.objectAttribute = objectAttribute;
    this.btf = object.btf();
  }

  /**
   * The records of every map of {@code object}.
   *
   * @param objectFile the object's file name, for {@code object = ...} and comments
   * @param packageName the package of the generated files
   * @param objectAttribute whether each {@code @BpfMap} names the object, so the processor checks it
   */
  public static Output generate(ParsedObject object, String objectFile, String packageName, boolean objectAttribute) {
    RecordGenerator g = new RecordGenerator(object, objectFile, packageName, objectAttribute);
    for (ObjectMapSpec m : object.maps()) {
      g.taken.add(camel(m.name()));
    }
    for (ObjectMapSpec m : object.maps()) {
      g.map(m);
    }
    return new Output(java.util.Collections.unmodifiableMap(g.files), List.copyOf(g.skipped));
  }

  private void map(ObjectMapSpec m) {
    if (m.kind() == MapKind.GLOBAL_DATA) {
      skipped.add("map '" + m.name() + "': global data (" + m.section() + ") is read and written through "
          + "BpfObjectSpec variables, not a record");
      return;
    }
    // Types and files are only kept when the whole map could be written.
    Map<String, String> filesBefore = new TreeMap<>(files);
    Map<Integer, String> namedBefore = new HashMap<>(named);
    Map<Integer, JType> structsBefore = new HashMap<>(structTypes);
    Set<String> takenBefore = new java.util.HashSet<>(taken);
    try {
      files.put(camel(m.name()), mapRecord(m));
    } catch (Unsupported e) {
      files.clear();
      files.putAll(filesBefore);
      named.clear();
      named.putAll(namedBefore);
      structTypes.clear();
      structTypes.putAll(structsBefore);
      taken.clear();
      taken.addAll(takenBefore);
      skipped.add("map '" + m.name() + "': " + e.getMessage());
    }
  }

  /** The {@code maxEntries} written for a perf event array the object sizes at load: CPUs at most. */
  static final int PERF_CPUS_BOUND = 4096;

  private String mapRecord(ObjectMapSpec m) {
    MapType type = m.type();
    String name = camel(m.name());
    // Event channels have no key in their record: the component is the event.
    boolean events = type == MapType.RINGBUF || type == MapType.USER_RINGBUF || type == MapType.PERF_EVENT_ARRAY;
    boolean keyless = type.keyless() || events;
    List<String> components = new ArrayList<>();
    if (!keyless) {
      components.add(entry(m.keyTypeId(), m.keySize(), "key").declare("key"));
    }
    JType value;
    if (events) {
      // An event channel has no event type in BTF: what programs submit is up to them.
      value = new JType("@Size(1) ", "byte[]", 1, 1);
    } else if (type.mapOfMaps()) {
      value = new JType("@Unsigned ", "int", 4, 4); // inner map ids
    } else {
      value = entry(m.valueTypeId(), m.valueSize(), "value");
    }
    components.add(value.declare("value"));

    // A PERF_EVENT_ARRAY declared with max_entries 0 gets one slot per possible CPU at load (as in
    // libbpf), which a record cannot say; any bound at least the CPU count binds to it.
    boolean sizedAtLoad = type == MapType.PERF_EVENT_ARRAY && m.maxEntries() == 0;
    StringBuilder ann = new StringBuilder("@BpfMap(name = \"").append(m.name()).append("\", type = MapType.")
        .append(type.name()).append(", maxEntries = ").append(sizedAtLoad ? PERF_CPUS_BOUND : m.maxEntries());
    if (m.flags() != 0) {
      ann.append(", flags = 0x").append(Integer.toHexString(m.flags()));
    }
    if (m.pinning() == Pinning.BY_NAME) {
      ann.append(", pinning = Pinning.BY_NAME");
    }
    if (objectAttribute) {
      ann.append(",\n    object = \"").append(objectFile).append('"');
    }
    ann.append(')');
    String doc = "/**\n * The " + type + " map {@code " + m.name() + "} of {@code " + objectFile + "}.\n"
        + (events ? " *\n * <p>BTF does not say what the programs submit to this map: replace the value\n"
            + " * with a record of what they do.\n" : "")
        + (sizedAtLoad ? " *\n * <p>The object declares max_entries 0: the loader makes one slot per possible CPU.\n" : "")
        + " */\n";
    return file(doc + ann + "\npublic record " + name + "(" + String.join(", ", components) + ") {}\n");
  }

  /** A whole key or value: from BTF when the object has it, else an integer or byte array of its size. */
  private JType entry(int typeId, int size, String what) {
    if (btf == null || typeId == 0) {
      switch (size) {
        case 1: return new JType("@Unsigned ", "byte", 1, 1);
        case 2: return new JType("@Unsigned ", "short", 2, 2);
        case 4: return new JType("@Unsigned ", "int", 4, 4);
        case 8: return new JType("@Unsigned ", "long", 8, 8);
        default: return new JType("@Size(" + size + ") ", "byte[]", size, 1);
      }
    }
    BtfType r = btf.resolve(typeId);
    if (r != null && r.kind() == BtfKind.ARRAY) {
      JType t = type(typeId, what);
      if (!t.type().equals("byte[]")) {
        throw new Unsupported("its " + what + " is a C array of other than bytes; a key or value array "
            + "must be bytes or be wrapped in a struct");
      }
      return t;
    }
    return type(typeId, what);
  }

  /** The Java type of a BTF type; {@code hint} names an anonymous struct. */
  private JType type(int typeId, String hint) {
    String typedef = null;
    boolean be = false;
    int cur = typeId;
    while (cur != 0 && btf.type(cur).kind().isModifier()) {
      BtfType t = btf.type(cur);
      if (t.kind() == BtfKind.TYPEDEF) {
        typedef = typedef == null ? t.name() : typedef;
        be |= t.name().startsWith("__be");
      }
      cur = t.type();
    }
    if (cur == 0) {
      throw new Unsupported("it uses void");
    }
    BtfType t = btf.type(cur);
    switch (t.kind()) {
      case INT: {
        if ((t.intEncoding() & BtfType.INT_BOOL) != 0) {
          return new JType("", "boolean", 1, 1);
        }
        String java;
        switch ((int) t.size()) {
          case 1: java = "byte"; break;
          case 2: java = "short"; break;
          case 4: java = "int"; break;
          case 8: java = "long"; break;
          default: throw new Unsupported("it uses the " + t.size() + "-byte integer " + t.name());
        }
        String ann = (be && t.size() > 1 ? "@NetworkOrder " : "") + (t.isSigned() ? "" : "@Unsigned ");
        return new JType(ann, java, (int) t.size(), (int) t.size());
      }
      case FLOAT:
        return new JType("", t.size() == 4 ? "float" : "double", (int) t.size(), (int) t.size());
      case ENUM: case ENUM64: {
        if (t.enumValues().isEmpty()) {
          throw new Unsupported("enum " + t.name() + " has no values");
        }
        if (t.name().isEmpty() && typedef == null) {
          return new JType(t.isSigned() ? "" : "@Unsigned ", t.size() == 8 ? "long" : t.size() == 2 ? "short"
              : t.size() == 1 ? "byte" : "int", (int) t.size(), (int) t.size());
        }
        String enumName = t.name().isEmpty() ? typedef : t.name();
        String name = named.get(cur);
        if (name == null) {
          name = enumFile(t, enumName);
          named.put(cur, name);
        }
        return new JType(t.size() == 4 ? "" : "@Width(" + t.size() + ") ", name, (int) t.size(), (int) t.size());
      }
      case STRUCT: {
        JType known = structTypes.get(cur);
        if (known != null) {
          return known;
        }
        String cName = t.name().isEmpty() ? (typedef != null ? typedef : hint) : t.name();
        JType s = structFile(t, cName);
        structTypes.put(cur, s);
        return s;
      }
      case ARRAY: {
        long count = 1;
        int elem = cur;
        BtfType a = t;
        while (a != null && a.kind() == BtfKind.ARRAY) { // C arrays of arrays become one Java array
          count *= a.array().length();
          elem = a.array().elementType();
          a = btf.resolve(elem);
        }
        if (count == 0) {
          throw new Unsupported("it has a flexible or zero-length array");
        }
        JType e = type(elem, hint);
        if (e.type().endsWith("[]")) {
          throw new Unsupported("it nests arrays in a way records cannot");
        }
        boolean chars = a != null && a.kind() == BtfKind.INT && a.size() == 1
            && ((a.intEncoding() & BtfType.INT_CHAR) != 0 || a.name().equals("char"));
        if (chars) {
          return new JType("@Size(" + count + ") ", "String", (int) count, 1);
        }
        return new JType("@Size(" + count + ") " + e.annotations(), e.type() + "[]", (int) (e.size() * count), e.align());
      }
      case UNION:
        throw new Unsupported("it uses union " + t.name() + "; records cannot hold unions");
      case PTR:
        throw new Unsupported("it holds a pointer");
      default:
        throw new Unsupported("it uses a " + t.kind() + " type");
    }
  }

  private String enumFile(BtfType t, String cName) {
    String name = unique(camel(cName), "Enum");
    StringBuilder b = new StringBuilder("/** The C {@code enum ").append(cName).append("} of {@code ")
        .append(objectFile).append("}. */\n");
    if (!name.equals(cName)) {
      b.append("@CName(\"").append(cName).append("\")\n");
    }
    b.append("public enum ").append(name).append(" {\n");
    List<BtfType.EnumValue> values = t.enumValues();
    for (int i = 0; i < values.size(); i++) {
      BtfType.EnumValue v = values.get(i);
      // BTF without signedness (clang 14) zero-extends -1 of a 4-byte enum to 4294967295: same bytes.
      long value = t.size() == 4 ? (int) v.value() : v.value();
      b.append("  ");
      if (value != i) {
        b.append("@CValue(").append(value).append(value > Integer.MAX_VALUE || value < Integer.MIN_VALUE ? "L" : "")
            .append(") ");
      }
      b.append(identifier(v.name())).append(i + 1 < values.size() ? ",\n" : "\n");
    }
    b.append("}\n");
    files.put(name, file(b.toString()));
    return name;
  }

  private JType structFile(BtfType t, String cName) {
    String name = unique(camel(cName), "Struct");
    List<JType> types = new ArrayList<>();
    List<BtfType.Member> members = new ArrayList<>();
    List<Integer> explicit = new ArrayList<>();
    int pending = 0;
    for (BtfType.Member m : t.members()) {
      if (explicitPadding(m)) {
        pending += (int) btf.sizeOf(m.type()); // becomes @Padding on the next member
        continue;
      }
      members.add(m);
      explicit.add(pending);
      pending = 0;
    }
    for (BtfType.Member m : members) {
      if (m.isBitfield()) {
        throw new Unsupported("struct " + cName + " has the bitfield '" + m.name() + "'");
      }
      if (m.name().isEmpty()) {
        throw new Unsupported("struct " + cName + " has an anonymous member");
      }
      types.add(type(m.type(), cName + "_" + m.name()));
    }
    // Lay the members out as the processor will: naturally aligned, unless C placed one off its alignment.
    Layout natural = layout(t, members, explicit, types, false);
    Layout layout = natural != null ? natural : layout(t, members, explicit, types, true);
    if (layout == null) {
      throw new Unsupported("struct " + cName + " has a layout records cannot express");
    }
    StringBuilder b = new StringBuilder("/** The C {@code struct ").append(cName).append("} of {@code ")
        .append(objectFile).append("}. */\n");
    if (!name.equals(cName)) {
      b.append("@CName(\"").append(cName).append("\")\n");
    }
    if (layout.packed) {
      b.append("@Packed\n");
    }
    if (layout.align > 0) {
      b.append("@Align(").append(layout.align).append(")\n");
    }
    b.append("public record ").append(name).append("(");
    for (int i = 0; i < members.size(); i++) {
      BtfType.Member m = members.get(i);
      String java = identifier(lowerCamel(m.name()));
      b.append(i == 0 ? "\n    " : ",\n    ");
      if (!java.equals(m.name())) {
        b.append("@CName(\"").append(m.name()).append("\") ");
      }
      if (layout.padding[i] > 0) {
        b.append("@Padding(").append(layout.padding[i]).append(") ");
      }
      b.append(types.get(i).declare(java));
    }
    b.append(") {}\n");
    files.put(name, file(b.toString()));
    int align = layout.packed ? 1 : types.stream().mapToInt(JType::align).max().orElse(1);
    return new JType("", name, (int) t.size(), Math.max(align, layout.align));
  }

  /** Explicit padding per member, packing and {@code @Align}, or null when this mode cannot match C. */
  private record Layout(boolean packed, int[] padding, int align) {}

  /**
   * A {@code __u8 __pad_x[n]} member, as the processor's header writes for {@code @Padding}: read back
   * as padding, so that a header round trip gives the records it came from.
   */
  private boolean explicitPadding(BtfType.Member m) {
    if (!m.name().startsWith("__pad") || m.isBitfield()) {
      return false;
    }
    BtfType a = btf.resolve(m.type());
    if (a == null || a.kind() != BtfKind.ARRAY) {
      return false;
    }
    BtfType e = btf.resolve(a.array().elementType());
    return e != null && e.kind() == BtfKind.INT && e.size() == 1;
  }

  private static @Nullable Layout layout(BtfType t, List<BtfType.Member> members, List<Integer> explicit,
      List<JType> types, boolean packed) {
    int[] padding = new int[types.size()];
    int end = 0;
    int maxAlign = 1;
    for (int i = 0; i < types.size(); i++) {
      long c = members.get(i).byteOffset();
      int align = packed ? 1 : types.get(i).align();
      if (c % align != 0 || c < end) {
        return null;
      }
      if (explicit.get(i) > 0 && alignUp(end + explicit.get(i), align) == c) {
        padding[i] = explicit.get(i);
      } else if (c > alignUp(end, align)) {
        padding[i] = (int) (c - end);
      }
      end = (int) c + types.get(i).size();
      maxAlign = Math.max(maxAlign, align);
    }
    int size = alignUp(end, maxAlign);
    if (size == t.size()) {
      return new Layout(packed, padding, 0);
    }
    // A larger C size means an aligned attribute raised the struct's alignment.
    for (int a = maxAlign * 2; a <= 4096; a *= 2) {
      if (alignUp(end, a) == t.size()) {
        return new Layout(packed, padding, a);
      }
    }
    return null;
  }

  private String file(String body) {
    StringBuilder b = new StringBuilder("// Generated by bpfmaps-tools gen from ").append(objectFile)
        .append("; edit freely.\n");
    if (!packageName.isEmpty()) {
      b.append("package ").append(packageName).append(";\n");
    }
    boolean any = false;
    for (String a : ANNOTATIONS) {
      if (body.contains("@" + a + "(") || body.contains("@" + a + " ") || body.contains("@" + a + "\n")
          || body.contains(a + ".")) {
        b.append(any ? "" : "\n").append("import io.github.bpfmaps.annotations.").append(a).append(";\n");
        any = true;
      }
    }
    return b.append('\n').append(body).toString();
  }

  /**
   * {@code name}, or where a map's record (or another type) already has it, {@code name + kind}
   * ({@code ClassStats} the map, {@code ClassStatsStruct} its C struct {@code class_stats}): C
   * keeps structs, enums and variables in separate name spaces, Java does not. A number is the
   * last resort.
   */
  private String unique(String name, String kind) {
    if (taken.add(name)) {
      return name;
    }
    String n = name + kind;
    for (int i = 2; !taken.add(n); i++) {
      n = name + kind + i;
    }
    return n;
  }

  static String camel(String c) {
    StringBuilder b = new StringBuilder();
    for (String part : c.split("[^A-Za-z0-9]+")) {
      if (!part.isEmpty()) {
        b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    if (b.length() == 0 || !Character.isJavaIdentifierStart(b.charAt(0))) {
      b.insert(0, 'C');
    }
    return b.toString();
  }

  static String lowerCamel(String c) {
    String u = camel(c);
    if (c.chars().allMatch(ch -> Character.isUpperCase(ch) || ch == '_' || Character.isDigit(ch))) {
      u = camel(c.toLowerCase(Locale.ROOT));
    }
    return Character.toLowerCase(u.charAt(0)) + u.substring(1);
  }

  private static String identifier(String name) {
    return JAVA_KEYWORDS.contains(name) ? name + "_" : name;
  }

  private static int alignUp(int offset, int align) {
    return (offset + align - 1) / align * align;
  }
}
