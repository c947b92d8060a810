package io.github.bpfmaps.processor;

import io.github.bpfmaps.annotations.Align;
import io.github.bpfmaps.annotations.CName;
import io.github.bpfmaps.annotations.CValue;
import io.github.bpfmaps.annotations.NetworkOrder;
import io.github.bpfmaps.annotations.Packed;
import io.github.bpfmaps.annotations.Padding;
import io.github.bpfmaps.annotations.Size;
import io.github.bpfmaps.annotations.Unsigned;
import io.github.bpfmaps.annotations.Width;
import io.github.bpfmaps.processor.model.Component;
import io.github.bpfmaps.processor.model.FieldType;
import io.github.bpfmaps.processor.model.JavaPrimitive;
import io.github.bpfmaps.processor.model.MapModel;
import io.github.bpfmaps.processor.model.Names;
import io.github.bpfmaps.processor.model.StructLayout;
import io.github.bpfmaps.processor.model.TypeRef;
import java.lang.annotation.Annotation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;
import org.jspecify.annotations.Nullable;

/**
 * The validate step: reads records, enums and their annotations through javax.lang.model, reports
 * every component it cannot lay out, and hands back the plain {@link StructLayout} model. Nothing
 * from javax.lang.model leaves this class except the {@link TypeElement} of each record, kept for
 * the originating elements of generated files.
 */
final class RecordReader {
  static final String SUPPORTED_TYPES = "byte, short, char, int, long, float, double, boolean, "
      + "enums, records, @Size arrays of those, and @Size String";

  private final ErrorReporter reporter;
  /** Finished records by canonical name; empty when the record has errors. */
  private final Map<String, Optional<StructLayout>> done = new HashMap<>();
  /** Records being read, to find records that contain themselves. */
  private final Deque<String> reading = new ArrayDeque<>();
  private final Map<String, TypeElement> elements = new LinkedHashMap<>();
  /** Components that failed without a message of ours (their type does not compile). */
  private int failures;

  private final Types types;

  RecordReader(ErrorReporter reporter, Types types) {
    this.reporter = reporter;
    this.types = types;
  }

  /**
   * One component of a struct: a record component, or a property of a Kotlin data class as kapt's
   * Java stub shows it (a private final field, a primary-constructor parameter and a getter).
   *
   * @param site where messages about it go: the record component or the field
   * @param name the component or property name
   * @param type its Java type
   * @param accessor the no-argument method that reads it
   * @param annotated where its annotations may be: the component; or the field, the constructor
   *     parameter and the getter, because Kotlin puts an annotation on a constructor property on the
   *     parameter unless a use-site target ({@code @field:}, {@code @get:}) says otherwise
   */
  record Part(Element site, String name, TypeMirror type, String accessor,
      List<Element> annotated, boolean kotlinUnsigned) {
    Part(Element site, String name, TypeMirror type, String accessor, List<Element> annotated) {
      this(site, name, type, accessor, annotated, false);
    }

    /** Whether the C member is unsigned: {@code @Unsigned}, or a Kotlin UByte..ULong property. */
    boolean unsigned() {
      return kotlinUnsigned || annotation(Unsigned.class) != null;
    }

    <A extends Annotation> @Nullable A annotation(Class<A> type) {
      for (Element e : annotated) {
        A a = e.getAnnotation(type);
        if (a != null) {
          return a;
        }
      }
      return null;
    }
  }

  /**
   * The components of a record, or the properties of a Kotlin data class in primary-constructor
   * order. For a class that does not have the data-class shape the problems are reported and the
   * list is empty.
   */
  List<Part> parts(TypeElement type) {
    if (type.getKind() == ElementKind.RECORD) {
      List<Part> out = new ArrayList<>();
      for (RecordComponentElement c : type.getRecordComponents()) {
        out.add(new Part(c, c.getSimpleName().toString(), c.asType(),
            c.getSimpleName().toString(), List.of(c)));
      }
      return out;
    }
    return dataClassParts(type);
  }

  /**
   * Reads a class as kapt stubs a Kotlin {@code data class}: every instance field is a property of
   * the primary constructor, which takes them in declaration order with the same names and types,
   * and each has a getter ({@code getX()}, or {@code isX()} for a property named {@code isX}).
   * Kotlin {@code @JvmRecord} classes cannot be used because their stubs extend
   * {@code java.lang.Record}, which javac refuses.
   */
  private List<Part> dataClassParts(TypeElement type) {
    String simple = type.getSimpleName().toString();
    if (type.getKind() != ElementKind.CLASS || type.getModifiers().contains(Modifier.ABSTRACT)) {
      reporter.error(type, "BpfMapNotDataClass", simple + " is "
          + (type.getModifiers().contains(Modifier.ABSTRACT) && type.getKind() == ElementKind.CLASS
              ? "an abstract class" : describe(type.getKind()))
          + "; a key or value type is a record or a Kotlin data class whose properties are all "
          + "declared in its primary constructor");
      return List.of();
    }
    List<VariableElement> fields = new ArrayList<>();
    for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (!f.getModifiers().contains(Modifier.STATIC)) {
        fields.add(f);
      }
    }
    List<String> names = new ArrayList<>();
    fields.forEach(f -> names.add(f.getSimpleName().toString()));
    ExecutableElement constructor = null;
    for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      if (matches(c, fields)) {
        constructor = c;
        break;
      }
    }
    if (constructor == null) {
      reporter.error(type, "BpfMapDataClassConstructor", simple + " has no constructor taking "
          + "all of its fields in order (" + String.join(", ", names) + "), so the codec could not "
          + "build a decoded value; declare every property in the primary constructor of a data "
          + "class (data class " + simple + "(val a: Int, val b: Long)), with no other properties "
          + "that have a backing field");
      return List.of();
    }
    boolean ok = true;
    boolean hidden = constructor.getModifiers().contains(Modifier.PRIVATE);
    List<String> mangled = metadataStrings(type);
    List<ExecutableElement> getters = new ArrayList<>();
    boolean unsignedSeen = false;
    for (int i = 0; i < fields.size(); i++) {
      VariableElement f = fields.get(i);
      ExecutableElement getter = getter(type, f);
      getters.add(getter);
      String kotlinType = getter == null ? unsignedKotlinType(f, mangled, hidden) : null;
      if (kotlinType != null && mangledGetter(f, mangled) != null) {
        // A Kotlin unsigned property (UInt, ...) is a value class: its getter's JVM name is
        // mangled (getHits-pVg5ArA) and the constructor taking it is private, with a public
        // synthetic twin taking a trailing DefaultConstructorMarker. The codec reaches both
        // through method handles, by the names the metadata's d2 strings give.
        unsignedSeen = true;
      } else if (kotlinType != null) {
        // Without metadata strings the mangled name is unknown, so the codec could not read it.
        String signed = SIGNED_TWIN.get(kotlinType);
        reporter.error(f, "BpfMapKotlinUnsigned", simple + "." + names.get(i) + " is a "
            + kotlinType + ", a Kotlin value class whose getter and constructor Java cannot call "
            + "(their JVM names are mangled) and whose mangled getter the class's @kotlin.Metadata "
            + "does not name; declare it as @Unsigned val " + names.get(i) + ": " + signed
            + " (the same " + kotlinType.substring(1).toLowerCase(Locale.ROOT)
            + "-sized unsigned C field)");
        unsignedSeen = true;
        ok = false;
      }
    }
    if (hidden && !unsignedSeen) {
      reporter.error(type, "BpfMapDataClassConstructor", "the constructor of " + simple
          + " is private, so the codec cannot call it; make it public or internal (a Kotlin "
          + "constructor taking a value class other than UByte..ULong is hidden from Java too)");
      ok = false;
    }
    List<Part> out = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      VariableElement f = fields.get(i);
      String name = names.get(i);
      ExecutableElement getter = getters.get(i);
      String mangledGetter = getter == null && unsignedKotlinType(f, mangled, hidden) != null
          ? mangledGetter(f, mangled) : null;
      if (mangledGetter != null) {
        out.add(new Part(f, name, f.asType(), mangledGetter,
            List.of(f, constructor.getParameters().get(i)), true));
        continue;
      }
      if (getter == null) {
        if (unsignedKotlinType(f, mangled, hidden) == null) {
          reporter.error(f, "BpfMapDataClassGetter", simple + "." + name + " has no getter that "
              + "the codec can call (" + getterName(name) + "() returning " + display(f.asType())
              + "); declare it as a public val");
        }
        ok = false;
        continue;
      }
      out.add(new Part(f, name, f.asType(), getter.getSimpleName().toString(),
          List.of(f, constructor.getParameters().get(i), getter)));
    }
    return ok ? out : List.of();
  }

  /** Kotlin's unsigned types by the JVM type they are stored as. */
  static final Map<TypeKind, String> KOTLIN_UNSIGNED = Map.of(
      TypeKind.BYTE, "UByte", TypeKind.SHORT, "UShort", TypeKind.INT, "UInt",
      TypeKind.LONG, "ULong");

  /** The signed type of the same size as a Kotlin unsigned type. */
  private static final Map<String, String> SIGNED_TWIN = Map.of(
      "UByte", "Byte", "UShort", "Short", "UInt", "Int", "ULong", "Long");

  /**
   * The Kotlin unsigned type of a data-class property that has no callable getter, or null when it
   * is not one. The metadata's string table ({@code d2}) names the mangled getter
   * ({@code getHits-pVg5ArA}) of a value-class property; a stub without it (a hand-written one) is
   * read by its shape: an integral field with no getter behind a private constructor.
   */
  private static @Nullable String unsignedKotlinType(VariableElement field, List<String> metadata,
      boolean hiddenConstructor) {
    String kotlin = KOTLIN_UNSIGNED.get(field.asType().getKind());
    if (kotlin == null) {
      return null;
    }
    String prefix = getterName(field.getSimpleName().toString()) + "-";
    // A value class of the user's own (value class Port(val v: Short)) has a mangled getter too;
    // only a class whose metadata names kotlin/UShort (...) is read as Kotlin's unsigned type.
    boolean mangled = metadata.stream().anyMatch(s -> s.startsWith(prefix))
        && metadata.contains("Lkotlin/" + kotlin + ";");
    return mangled || (metadata.isEmpty() && hiddenConstructor) ? kotlin : null;
  }

  /** The mangled getter name ({@code getHits-pVg5ArA}) of {@code field} in {@code metadata}, or null. */
  private static @Nullable String mangledGetter(VariableElement field, List<String> metadata) {
    String prefix = getterName(field.getSimpleName().toString()) + "-";
    return metadata.stream().filter(s -> s.startsWith(prefix)).findFirst().orElse(null);
  }

  /** The strings of {@code @kotlin.Metadata(d2 = ...)} on {@code type}, empty when there are none. */
  private static List<String> metadataStrings(TypeElement type) {
    List<String> out = new ArrayList<>();
    for (AnnotationMirror m : type.getAnnotationMirrors()) {
      if (!((TypeElement) m.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals("kotlin.Metadata")) {
        continue;
      }
      m.getElementValues().forEach((k, v) -> {
        if (k.getSimpleName().contentEquals("d2") && v.getValue() instanceof List<?> list) {
          for (Object o : list) {
            if (o instanceof AnnotationValue a
                && a.getValue() instanceof String str) {
              out.add(str);
            }
          }
        }
      });
    }
    return out;
  }

  private boolean matches(ExecutableElement constructor, List<VariableElement> fields) {
    List<? extends VariableElement> params = constructor.getParameters();
    if (params.size() != fields.size()) {
      return false;
    }
    for (int i = 0; i < params.size(); i++) {
      VariableElement p = params.get(i);
      VariableElement f = fields.get(i);
      if (!p.getSimpleName().equals(f.getSimpleName())
          || !types.isSameType(types.erasure(p.asType()), types.erasure(f.asType()))) {
        return false;
      }
    }
    return true;
  }

  /** The non-private getter of {@code field}, by Kotlin's naming rule, or null. */
  private @Nullable ExecutableElement getter(TypeElement type, VariableElement field) {
    String wanted = getterName(field.getSimpleName().toString());
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(wanted) && m.getParameters().isEmpty()
          && !m.getModifiers().contains(Modifier.PRIVATE)
          && !m.getModifiers().contains(Modifier.STATIC)
          && types.isSameType(m.getReturnType(), field.asType())) {
        return m;
      }
    }
    return null;
  }

  /**
   * Kotlin's JVM getter name: {@code isUp} stays {@code isUp} (a property named is + uppercase), any
   * other {@code name} becomes {@code getName}.
   */
  static String getterName(String property) {
    if (property.length() > 2 && property.startsWith("is")
        && Character.isUpperCase(property.charAt(2))) {
      return property;
    }
    return "get" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
  }

  /** Whether {@code type} carries {@code @kotlin.Metadata}, which every Kotlin class (and stub) has. */
  static boolean isKotlin(Element type) {
    return type.getAnnotationMirrors().stream().anyMatch(m ->
        ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName()
            .contentEquals("kotlin.Metadata"));
  }

  private static String describe(ElementKind kind) {
    String k = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return ("aeiou".indexOf(k.charAt(0)) >= 0 ? "an " : "a ") + k;
  }

  /** The element of a record or enum that was read, for originating elements. */
  @Nullable TypeElement element(TypeRef type) {
    return elements.get(type.canonicalName());
  }

  /**
   * The key or value component of a map record: a primitive, a record or a {@code @Size byte[]}.
   * Strings, enums and other arrays need a record around them, as their C declaration does.
   */
  Optional<MapModel.Entry> entry(Part c) {
    TypeMirror t = c.type();
    if (erroneous(t)) {
      return Optional.empty();
    }
    String where = where(c.site());
    String javaType = display(t);
    if (t.getKind().isPrimitive()) {
      JavaPrimitive p = primitive(t.getKind());
      boolean ok = true;
      if (c.annotation(Width.class) != null || c.annotation(NetworkOrder.class) != null
          || c.annotation(Size.class) != null || c.annotation(Padding.class) != null
          || c.annotation(Align.class) != null) {
        reporter.error(c.site(), "BpfMapTopLevelAnnotation", where + " is a whole key or value, where only "
            + "@Unsigned applies; wrap it in a record (record Key(@NetworkOrder int addr)) to use "
            + "@Width, @NetworkOrder, @Size, @Padding or @Align");
        ok = false;
      }
      if (p == JavaPrimitive.CHAR) {
        reporter.error(c.site(), "BpfMapUnsupportedType", where + " is char, which has no key or value "
            + "codec of its own; use @Unsigned short, or wrap it in a record");
        ok = false;
      }
      if (c.annotation(Unsigned.class) != null && !p.integral()) {
        reporter.error(c.site(), "BpfMapUnsigned", "@Unsigned applies to integral types, but " + where
            + " is " + p.keyword() + "; remove it");
        ok = false;
      }
      return ok
          ? Optional.of(new MapModel.Entry(c.name(),
              c.kotlinUnsigned() ? KOTLIN_UNSIGNED.get(t.getKind()) : javaType,
              FieldType.Scalar.of(p, c.unsigned()), c.kotlinUnsigned()))
          : Optional.empty();
    }
    if (t.getKind() == TypeKind.ARRAY
        && ((ArrayType) t).getComponentType().getKind() == TypeKind.BYTE) {
      return length(c, where + " is byte[] with no length; add @Size(n) with the number of "
          + "bytes of the C key or value")
          .map(n -> new MapModel.Entry(c.name(), javaType,
              new FieldType.ArrayType(FieldType.Scalar.of(JavaPrimitive.BYTE, false), n)));
    }
    TypeElement record = recordOf(t);
    if (record != null) {
      for (Class<? extends java.lang.annotation.Annotation> a : List.of(Size.class, Width.class,
          NetworkOrder.class, Unsigned.class)) {
        if (c.annotation(a) != null) {
          reporter.error(c.site(), "BpfMapAnnotationMisplaced", "@" + a.getSimpleName() + " does not apply "
              + "to the record " + where + "; put it on the components of " + javaType);
        }
      }
      return struct(record, c.site()).map(s -> new MapModel.Entry(
          c.name(), javaType, new FieldType.StructType(s)));
    }
    if (isString(t) || isEnum(t) || t.getKind() == TypeKind.ARRAY) {
      reporter.error(c.site(), "BpfMapTopLevelType", where + " is " + javaType + "; a whole key or value "
          + "must be a primitive, a record or a @Size byte[]; wrap it in a record (record Key("
          + "@Size(16) String comm))");
      return Optional.empty();
    }
    reporter.error(c.site(), "BpfMapUnsupportedType", where + " has type " + javaType + ", which has no "
        + "C layout; a key or value is a primitive, a record or a @Size byte[]");
    return Optional.empty();
  }

  /**
   * The layout of {@code record}, read once and cached; empty if it or a nested record has errors
   * (which are reported). {@code usedAt} is the component that refers to it, for recursion errors.
   */
  Optional<StructLayout> struct(TypeElement record, Element usedAt) {
    String name = record.getQualifiedName().toString();
    if (reading.contains(name)) {
      reporter.error(usedAt, "BpfMapRecursive", where(usedAt) + " refers back to "
          + record.getSimpleName() + ", so the C struct would contain itself; use an index or an "
          + "id instead of the record");
      return Optional.empty();
    }
    Optional<StructLayout> cached = done.get(name);
    if (cached != null) {
      return cached;
    }
    reading.push(name);
    try {
      Optional<StructLayout> result = readStruct(record);
      done.put(name, result);
      result.ifPresent(s -> elements.put(s.name().canonicalName(), record));
      return result;
    } finally {
      reading.pop();
    }
  }

  private Optional<StructLayout> readStruct(TypeElement record) {
    int before = reporter.errorCount() + failures;
    if (!record.getTypeParameters().isEmpty()) {
      reporter.error(record, "BpfMapGeneric", record.getSimpleName() + " has type parameters, "
          + "which have no single C layout; use concrete component types");
    }
    for (Element e = record; e != null && !(e instanceof PackageElement);
        e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)
          || !(e.getKind().isClass() || e.getKind().isInterface())) {
        reporter.error(record, "BpfMapAccess", record.getSimpleName() + " must be visible to its "
            + "generated codec in the same package; make it and its enclosing types non-private "
            + "members (not local)");
        break;
      }
    }
    List<Component> components = new ArrayList<>();
    for (Part c : parts(record)) {
      Optional<FieldType> type = fieldType(c, c.type(), true);
      if (type.isEmpty()) {
        continue;
      }
      int align = 0;
      Align a = c.annotation(Align.class);
      if (a != null) {
        if (a.value() <= 0 || Integer.bitCount(a.value()) != 1) {
          reporter.error(c.site(), "BpfMapAlign", "@Align(" + a.value() + ") on " + where(c.site())
              + " must be a positive power of two");
        }
        align = a.value();
      }
      int padding = 0;
      Padding p = c.annotation(Padding.class);
      if (p != null) {
        if (p.value() <= 0) {
          reporter.error(c.site(), "BpfMapPadding", "@Padding(" + p.value() + ") on " + where(c.site())
              + " must be positive; remove it for no padding");
        }
        padding = p.value();
      }
      CName cName = c.annotation(CName.class);
      // C names default to snake_case, as map names do (lastTtl -> last_ttl): what the header
      // declares and what the BTF check looks for first.
      components.add(new Component(c.name(),
          cName != null ? cName.value() : Names.snakeCase(c.name()), type.get(), align, padding, c.accessor()));
    }
    int structAlign = 0;
    Align a = record.getAnnotation(Align.class);
    if (a != null) {
      if (a.value() <= 0 || Integer.bitCount(a.value()) != 1) {
        reporter.error(record, "BpfMapAlign", "@Align(" + a.value() + ") on "
            + record.getSimpleName() + " must be a positive power of two");
      }
      structAlign = a.value();
    }
    if (reporter.errorCount() + failures != before) {
      return Optional.empty();
    }
    CName cName = record.getAnnotation(CName.class);
    return Optional.of(StructLayout.compute(typeRef(record),
        cName != null ? cName.value() : Names.snakeCase(record.getSimpleName().toString()),
        record.getAnnotation(Packed.class) != null, structAlign, components));
  }

  /**
   * The C type of a component or, with {@code outer} false, of an array element (the component's
   * annotations then describe the elements).
   */
  private Optional<FieldType> fieldType(Part c, TypeMirror t, boolean outer) {
    String where = where(c.site());
    if (erroneous(t)) {
      // javac reports the missing type itself; a second message would only add noise. The record
      // still gets no codec, because the reader counts this as a failure.
      failures++;
      return Optional.empty();
    }
    Size size = c.annotation(Size.class);
    if (t.getKind().isPrimitive()) {
      if (outer && size != null) {
        reporter.error(c.site(), "BpfMapSizeNotArray", "@Size applies to arrays and Strings, but "
            + where + " is " + display(t) + "; remove it");
        return Optional.empty();
      }
      return scalar(c, primitive(t.getKind()));
    }
    if (t.getKind() == TypeKind.ARRAY) {
      if (!outer) {
        reporter.error(c.site(), "BpfMapUnsupportedType", where + " is a multi-dimensional array; C "
            + "needs one length per dimension, which @Size cannot say; use an array of records");
        return Optional.empty();
      }
      TypeMirror element = ((ArrayType) t).getComponentType();
      if (isString(element)) {
        reporter.error(c.site(), "BpfMapUnsupportedType", where + " is String[]; arrays of strings are "
            + "not supported; use an array of records with a @Size String component");
        return Optional.empty();
      }
      Optional<Integer> length = length(c, where + " is an array with no length; add @Size(n) "
          + "with the C array length");
      if (length.isEmpty()) {
        return Optional.empty();
      }
      return fieldType(c, element, false).map(e -> new FieldType.ArrayType(e, length.get()));
    }
    if (isString(t)) {
      Optional<Integer> length = length(c, where + " is a String with no length; add @Size(n) "
          + "with the bytes of the C char[n] (UTF-8, NUL-padded)");
      if (length.isEmpty()
          || !noneOf(c, where, "a String", Unsigned.class, Width.class, NetworkOrder.class)) {
        return Optional.empty();
      }
      return Optional.of(new FieldType.StringType(length.get()));
    }
    if (outer && size != null && (isEnum(t) || recordOf(t) != null)) {
      reporter.error(c.site(), "BpfMapSizeNotArray", "@Size applies to arrays and Strings, but "
          + where + " is " + display(t) + "; remove it");
      return Optional.empty();
    }
    if (isEnum(t)) {
      return enumType(c, (TypeElement) ((DeclaredType) t).asElement());
    }
    TypeElement record = recordOf(t);
    if (record != null) {
      if (!noneOf(c, where, "a record", Unsigned.class, Width.class, NetworkOrder.class)) {
        return Optional.empty();
      }
      return struct(record, c.site()).map(FieldType.StructType::new);
    }
    String hint = isKotlin(c.site().getEnclosingElement()) ? kotlinNullHint(t) : boxedHint(t);
    reporter.error(c.site(), "BpfMapUnsupportedType", where + " has type " + display(t) + ", which has "
        + "no C layout" + hint + "; supported: " + SUPPORTED_TYPES);
    return Optional.empty();
  }

  private Optional<FieldType> scalar(Part c, JavaPrimitive p) {
    String where = where(c.site());
    boolean ok = true;
    boolean unsigned = c.unsigned();
    if (unsigned && !p.integral()) {
      reporter.error(c.site(), "BpfMapUnsigned", "@Unsigned applies to integral types, but " + where
          + " is " + p.keyword() + "; remove it");
      ok = false;
    }
    boolean network = c.annotation(NetworkOrder.class) != null;
    if (network && !p.integral()) {
      reporter.error(c.site(), "BpfMapNetworkOrder", "@NetworkOrder applies to integral types, but "
          + where + " is " + p.keyword() + "; remove it");
      ok = false;
    }
    int width = p.size();
    Width w = c.annotation(Width.class);
    if (w != null) {
      if (!p.integral()) {
        reporter.error(c.site(), "BpfMapWidth", "@Width applies to integral and enum components, but "
            + where + " is " + p.keyword() + "; remove it");
        ok = false;
      } else if (!validWidth(w.value())) {
        reporter.error(c.site(), "BpfMapWidth", "@Width(" + w.value() + ") on " + where
            + " must be 1, 2, 4 or 8");
        ok = false;
      } else if (w.value() > p.size()) {
        reporter.error(c.site(), "BpfMapWidth", "@Width(" + w.value() + ") on " + where + " is wider "
            + "than " + p.keyword() + " (" + p.size() + " bytes); use a wider Java type ("
            + (w.value() == 8 ? "long" : "int") + ")");
        ok = false;
      } else {
        width = w.value();
      }
    }
    return ok
        ? Optional.of(new FieldType.Scalar(p, width, unsigned || p == JavaPrimitive.CHAR, network))
        : Optional.empty();
  }

  private Optional<FieldType> enumType(Part c, TypeElement e) {
    String where = where(c.site());
    if (!noneOf(c, where, "an enum", Unsigned.class, NetworkOrder.class)) {
      return Optional.empty();
    }
    int width = 4;
    Width w = c.annotation(Width.class);
    if (w != null) {
      if (!validWidth(w.value())) {
        reporter.error(c.site(), "BpfMapWidth", "@Width(" + w.value() + ") on " + where
            + " must be 1, 2, 4 or 8");
        return Optional.empty();
      }
      width = w.value();
    }
    List<FieldType.EnumConstant> constants = new ArrayList<>();
    Map<Long, String> seen = new HashMap<>();
    int ordinal = 0;
    boolean ok = true;
    for (Element constant : e.getEnclosedElements()) {
      if (constant.getKind() != ElementKind.ENUM_CONSTANT) {
        continue;
      }
      CValue v = constant.getAnnotation(CValue.class);
      long value = v != null ? v.value() : ordinal;
      ordinal++;
      String name = constant.getSimpleName().toString();
      String other = seen.putIfAbsent(value, name);
      if (other != null) {
        reporter.error(constant, "BpfMapEnumValue", e.getSimpleName() + "." + name + " has the C "
            + "value " + value + " of " + e.getSimpleName() + "." + other + ", so decoding "
            + value + " would be ambiguous; give it its own @CValue");
        ok = false;
      }
      constants.add(new FieldType.EnumConstant(name, value));
    }
    if (constants.isEmpty()) {
      reporter.error(c.site(), "BpfMapEnumValue", where + " is the enum " + e.getSimpleName()
          + ", which has no constants, so no value could be encoded; add a constant");
      return Optional.empty();
    }
    boolean signed = constants.stream().anyMatch(k -> k.value() < 0);
    for (FieldType.EnumConstant k : constants) {
      if (!fits(k.value(), width, signed)) {
        reporter.error(c.site(), "BpfMapEnumValue", e.getSimpleName() + "." + k.name() + " = " + k.value()
            + " does not fit the " + width + "-byte C field of " + where + "; widen it with @Width");
        ok = false;
      }
    }
    if (!ok) {
      return Optional.empty();
    }
    TypeRef ref = typeRef(e);
    elements.put(ref.canonicalName(), e);
    return Optional.of(new FieldType.EnumType(ref, constants, width));
  }

  /** The {@code @Size} of an array or string component; reports {@code missing} without one. */
  private Optional<Integer> length(Part c, String missing) {
    Size size = c.annotation(Size.class);
    if (size == null) {
      reporter.error(c.site(), "BpfMapMissingSize", missing);
      return Optional.empty();
    }
    if (size.value() <= 0) {
      reporter.error(c.site(), "BpfMapSize", "@Size(" + size.value() + ") on " + where(c.site())
          + " must be positive");
      return Optional.empty();
    }
    return Optional.of(size.value());
  }

  @SafeVarargs
  private boolean noneOf(Part c, String where, String what,
      Class<? extends java.lang.annotation.Annotation>... annotations) {
    boolean ok = true;
    for (Class<? extends java.lang.annotation.Annotation> a : annotations) {
      if (c.annotation(a) != null) {
        reporter.error(c.site(), "BpfMapAnnotationMisplaced", "@" + a.getSimpleName() + " does not apply "
            + "to " + what + ", but " + where + " has it; remove it");
        ok = false;
      }
    }
    return ok;
  }

  static boolean validWidth(int w) {
    return w == 1 || w == 2 || w == 4 || w == 8;
  }

  /** Whether {@code v} fits a C integer of {@code width} bytes, signed or not. */
  static boolean fits(long v, int width, boolean signed) {
    if (width == 8) {
      return true;
    }
    int bits = width * 8;
    return signed
        ? v >= -(1L << (bits - 1)) && v < (1L << (bits - 1))
        : v >= 0 && v < (1L << bits);
  }

  static TypeRef typeRef(TypeElement type) {
    List<String> names = new ArrayList<>();
    Element e = type;
    while (e instanceof TypeElement) {
      names.add(0, e.getSimpleName().toString());
      e = e.getEnclosingElement();
    }
    String pkg = e instanceof PackageElement p ? p.getQualifiedName().toString() : "";
    return new TypeRef(pkg, names);
  }

  /** {@code Record.component}, as messages and runtime errors name a component. */
  static String where(Element component) {
    Element owner = component.getEnclosingElement();
    return owner.getSimpleName() + "." + component.getSimpleName();
  }

  private static boolean erroneous(TypeMirror t) {
    return t.getKind() == TypeKind.ERROR
        || (t.getKind() == TypeKind.ARRAY && erroneous(((ArrayType) t).getComponentType()));
  }

  private static JavaPrimitive primitive(TypeKind kind) {
    return JavaPrimitive.valueOf(kind.name());
  }

  /** The record or Kotlin class (read as a data class) of {@code t}, or null for other types. */
  private static @Nullable TypeElement recordOf(TypeMirror t) {
    if (t.getKind() == TypeKind.DECLARED) {
      Element e = ((DeclaredType) t).asElement();
      if (e.getKind() == ElementKind.RECORD || (e.getKind() == ElementKind.CLASS && isKotlin(e))) {
        return (TypeElement) e;
      }
    }
    return null;
  }

  private static boolean isEnum(TypeMirror t) {
    return t.getKind() == TypeKind.DECLARED
        && ((DeclaredType) t).asElement().getKind() == ElementKind.ENUM;
  }

  private static boolean isString(TypeMirror t) {
    return t.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName()
            .contentEquals("java.lang.String");
  }

  private static String boxedHint(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return "";
    }
    String n = ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString();
    switch (n) {
      case "java.lang.Byte": return " (use byte: C has no null)";
      case "java.lang.Short": return " (use short: C has no null)";
      case "java.lang.Character": return " (use char: C has no null)";
      case "java.lang.Integer": return " (use int: C has no null)";
      case "java.lang.Long": return " (use long: C has no null)";
      case "java.lang.Float": return " (use float: C has no null)";
      case "java.lang.Double": return " (use double: C has no null)";
      case "java.lang.Boolean": return " (use boolean: C has no null)";
      default: return "";
    }
  }

  /** A Kotlin {@code Long?} reaches the stub as {@code java.lang.Long}: say it as Kotlin. */
  private static String kotlinNullHint(TypeMirror t) {
    String hint = boxedHint(t);
    if (hint.isEmpty()) {
      return hint;
    }
    String boxed = ((DeclaredType) t).asElement().getSimpleName().toString();
    String kotlin = switch (boxed) {
      case "Integer" -> "Int";
      case "Character" -> "Char";
      default -> boxed;
    };
    return " (a nullable " + kotlin + "?; use " + kotlin + ": C has no null)";
  }

  /** The type as the user wrote it, without packages: {@code long}, {@code FlowKey}, {@code int[]}. */
  static String display(TypeMirror t) {
    if (t.getKind() == TypeKind.DECLARED) {
      return ((DeclaredType) t).asElement().getSimpleName().toString();
    }
    if (t.getKind() == TypeKind.ARRAY) {
      return display(((ArrayType) t).getComponentType()) + "[]";
    }
    return t.toString();
  }
}
