package io.github.bpfmaps.processor;

import com.google.auto.service.AutoService;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.JavaFile;
import io.github.bpfmaps.annotations.BpfMap;
import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.processor.check.MapRules;
import io.github.bpfmaps.processor.check.Problem;
import io.github.bpfmaps.processor.model.FieldType;
import io.github.bpfmaps.processor.model.MapModel;
import io.github.bpfmaps.processor.model.Member;
import io.github.bpfmaps.processor.model.Names;
import io.github.bpfmaps.processor.model.StructLayout;
import io.github.bpfmaps.processor.write.CodecWriter;
import io.github.bpfmaps.processor.write.EnumValuesWriter;
import io.github.bpfmaps.processor.write.Generated;
import io.github.bpfmaps.processor.write.MapWriter;
import io.github.bpfmaps.spec.HandleKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import org.jspecify.annotations.Nullable;

/**
 * Turns each {@code @BpfMap} record (or Kotlin data class, as kapt stubs it) into a typed map handle ({@code <Record>Map}) and each record it
 * uses as key or value, directly or nested, into a codec ({@code <Record>Codec}).
 *
 * <p>The work is split as validate → model → write: {@link RecordReader} reads the records and
 * reports what cannot be laid out, {@code processor.model} computes the C layout,
 * {@code processor.check} applies the kernel's per-type rules, and {@code processor.write} emits
 * JavaPoet files. Every message goes through one {@link ErrorReporter} with a stable tag; an unexpected
 * exception becomes a {@code [BpfMapInternal]} error on the record rather than a stack trace.
 */
@AutoService(Processor.class)
public final class BpfMapProcessor extends AbstractProcessor {
  // Set in init(), which javac calls before process().
  private ErrorReporter reporter;
  private RecordReader reader;
  private CodecWriter codecWriter;
  private EnumValuesWriter enumValuesWriter;
  private MapWriter mapWriter;
  private ObjectChecker objectChecker;
  private HeaderFiles headers;
  /** Map names used so far in this compilation, with the record that took them. */
  private final Map<String, String> names = new HashMap<>();
  /** Codecs written so far in this compilation (qualified names). */
  private final Set<String> codecs = new HashSet<>();
  /** Enum helpers ({@code <Enum>Values}) written so far in this compilation (qualified names). */
  private final Set<String> enumHelpers = new HashSet<>();
  /** Runs before each record; tests use it to prove that a crash becomes a tagged error. */
  private final Consumer<Element> beforeEach;

  /** The processor as javac's service loader creates it. */
  public BpfMapProcessor() {
    this(element -> {});
  }

  BpfMapProcessor(Consumer<Element> beforeEach) {
    this.beforeEach = beforeEach;
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    reporter = new ErrorReporter(env.getMessager());
    reader = new RecordReader(reporter, env.getTypeUtils());
    boolean generatedAvailable = env.getSourceVersion().compareTo(SourceVersion.RELEASE_8) > 0
        && env.getElementUtils().getTypeElement("javax.annotation.processing.Generated") != null;
    Generated generated = Generated.of(generatedAvailable);
    codecWriter = new CodecWriter(generated);
    enumValuesWriter = new EnumValuesWriter(generated);
    mapWriter = new MapWriter(generated);
    objectChecker = new ObjectChecker(env.getFiler(), reporter, reader, env.getOptions());
    headers = new HeaderFiles(env.getOptions());
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(ObjectChecker.OBJECT, ObjectChecker.OBJECT_PATH, HeaderFiles.OPTION, HeaderFiles.DIR_OPTION);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(BpfMap.class.getCanonicalName());
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (Element element : round.getElementsAnnotatedWith(BpfMap.class)) {
      try {
        beforeEach.accept(element);
        processMap(element);
      } catch (RuntimeException | IOException e) {
        reporter.error(element, "BpfMapInternal", "the bpfmaps processor failed on "
            + element.getSimpleName() + " with " + e + "; please report it with this record");
      }
    }
    if (round.processingOver()) {
      headers.writeAll(processingEnv.getFiler(), reporter);
    }
    // Other processors may want @BpfMap too; we never claim it.
    return false;
  }

  private void processMap(Element element) throws IOException {
    // A Kotlin class is read as kapt stubs a data class; any other class must be a record.
    boolean kotlin = element.getKind() == ElementKind.CLASS && RecordReader.isKotlin(element);
    if (element.getKind() != ElementKind.RECORD && !kotlin) {
      reporter.error(element, "BpfMapNotRecord", "@BpfMap applies to records, but "
          + element.getSimpleName() + " is " + article(element.getKind()) + "; declare it as "
          + "record " + element.getSimpleName() + "(Key key, Value value) (in Kotlin: data class "
          + element.getSimpleName() + "(val key: Key, val value: Value))");
      return;
    }
    TypeElement record = (TypeElement) element;
    BpfMap annotation = record.getAnnotation(BpfMap.class);
    AnnotationMirror mirror = mirror(record);
    int before = reporter.errorCount();

    List<RecordReader.Part> components = reader.parts(record);
    if (kotlin && components.isEmpty() && reporter.errorCount() != before) {
      return;
    }
    MapType type = annotation.type();
    Optional<MapModel.Entry> key = Optional.empty();
    Optional<MapModel.Entry> value = Optional.empty();
    if (components.size() == MapModel.expectedComponents(type)) {
      if (!MapModel.keyless(type)) {
        key = reader.entry(components.get(0));
      }
      value = reader.entry(components.get(components.size() - 1));
    }
    String name = annotation.name().isEmpty()
        ? Names.snakeCase(record.getSimpleName().toString())
        : annotation.name();
    MapModel map = new MapModel(RecordReader.typeRef(record), name, type, annotation.maxEntries(),
        annotation.flags(), annotation.pinning(), annotation.keySize(), annotation.valueSize(),
        components.size(), key, value);

    for (Problem p : MapRules.check(map)) {
      report(p, record, mirror, components);
    }
    // objectFile is object's Kotlin-friendly spelling (object is a Kotlin keyword).
    String objectAttribute = annotation.objectFile().isEmpty() ? "object" : "objectFile";
    String objectPath = annotation.objectFile().isEmpty() ? annotation.object() : annotation.objectFile();
    if (!annotation.object().isEmpty() && !annotation.objectFile().isEmpty()
        && !annotation.object().equals(annotation.objectFile())) {
      reporter.report(Diagnostic.Kind.ERROR, record, mirror, value(mirror, "objectFile"), "BpfMapObject",
          "object = \"" + annotation.object() + "\" and objectFile = \"" + annotation.objectFile()
              + "\" name different objects; objectFile is object's other name: keep one");
    }
    if (reporter.errorCount() == before) {
      for (ObjectChecker.Located l : objectChecker.check(
          record, mirror, value(mirror, objectAttribute), objectPath, map)) {
        if (l.element() == null) {
          report(l.problem(), record, mirror, components);
        } else {
          reporter.report(severity(l.problem()), l.element(), null, null, l.problem().tag(),
              l.problem().message());
        }
      }
    }
    // The handle's key codec only where it takes keys (an ARRAY takes an int index); the value
    // codec always, as bind passes it.
    List<Optional<MapModel.Entry>> encoded = new ArrayList<>();
    if (HandleKind.of(type).takesKey()) {
      encoded.add(key);
    }
    encoded.add(value);
    for (Optional<MapModel.Entry> e : encoded) {
      if (e.isPresent() && e.get().kotlinUnsigned()) {
        requireKotlinCodec(e.get(), record, components);
      }
    }
    String other = names.putIfAbsent(name, record.getQualifiedName().toString());
    if (other != null) {
      reporter.report(Diagnostic.Kind.ERROR, record, mirror, value(mirror, "name"),
          "BpfMapDuplicateName", "map name '" + name + "' is already used by " + other + "; "
              + "two maps of one program need different names; set name = \"...\" on one of them");
    }
    if (reporter.errorCount() != before || value.isEmpty()
        || (!MapModel.keyless(type) && key.isEmpty())) {
      return;
    }
    List<Element> origins = new ArrayList<>();
    origins.add(record);
    Map<String, StructLayout> structs = new LinkedHashMap<>();
    key.ifPresent(k -> collect(k.type(), structs));
    collect(value.get().type(), structs);
    for (StructLayout s : structs.values()) {
      List<Element> codecOrigins = origins(s);
      codecOrigins.stream().filter(e -> !origins.contains(e)).forEach(origins::add);
      writeCodec(s, codecOrigins);
    }
    mapWriter.write(map, origins).writeTo(processingEnv.getFiler());
    headers.add(map, record);
  }

  /**
   * A Kotlin {@code UInt} (...) key or value makes the handle a map of {@code UInt}s, encoded by
   * bpfmaps-kotlin's {@code UIntCodec}; without that module the generated handle would not
   * compile, so say which dependency is missing instead.
   */
  private void requireKotlinCodec(MapModel.Entry e, TypeElement record,
      List<RecordReader.Part> components) {
    String codec = MapWriter.kotlinCodecName(e.javaType());
    if (processingEnv.getElementUtils().getTypeElement(codec) != null) {
      return;
    }
    Element site = components.stream().filter(c -> c.name().equals(e.component()))
        .map(RecordReader.Part::site).findFirst().orElse(record);
    reporter.error(site, "BpfMapKotlinUnsigned", record.getSimpleName() + "." + e.component()
        + " is a " + e.javaType() + ", so " + record.getSimpleName() + "Map takes and returns "
        + e.javaType() + " through " + codec + ", which is not on the class path; add the "
        + "dependency io.github.bpfmaps:bpfmaps-kotlin");
  }

  /**
   * What a codec is generated from: its record and the enums of its components (their constants
   * are in the codec), so incremental builds regenerate it when either changes.
   */
  private List<Element> origins(StructLayout s) {
    List<Element> out = new ArrayList<>();
    TypeElement record = reader.element(s.name());
    if (record != null) {
      out.add(record);
    }
    for (Member m : s.members()) {
      FieldType t = m.type() instanceof FieldType.ArrayType a ? a.element() : m.type();
      if (t instanceof FieldType.EnumType e) {
        TypeElement element = reader.element(e.name());
        if (element != null && !out.contains(element)) {
          out.add(element);
        }
      }
    }
    return out;
  }

  private void writeCodec(StructLayout s, List<Element> origins) throws IOException {
    String qualified = s.name().packageName().isEmpty()
        ? s.codecName()
        : s.name().packageName() + "." + s.codecName();
    if (!codecs.add(qualified)) {
      return;
    }
    // A record compiled earlier (another module) already has its codec on the classpath.
    if (processingEnv.getElementUtils().getTypeElement(qualified) != null) {
      return;
    }
    Map<String, ClassName> helpers = new HashMap<>();
    for (Member m : s.members()) {
      FieldType t = m.type() instanceof FieldType.ArrayType a ? a.element() : m.type();
      if (t instanceof FieldType.EnumType e && !helpers.containsKey(e.name().canonicalName())) {
        helpers.put(e.name().canonicalName(), enumValues(e, s));
      }
    }
    JavaFile file = codecWriter.write(s, origins, e -> helpers.get(e.canonicalName()));
    file.writeTo(processingEnv.getFiler());
  }

  /**
   * The {@code <Enum>Values} class of {@code e}, written unless this compilation already wrote it
   * (another record, an earlier round) or it is on the class path (an earlier compilation).
   *
   * <p>It goes next to the enum, unless the enum's package cannot take a generated source: a JDK
   * package, or a package of another named module (javac refuses to split it). Then it goes into the
   * codec's package, whose records need it.
   */
  private ClassName enumValues(FieldType.EnumType e, StructLayout s) throws IOException {
    var elements = processingEnv.getElementUtils();
    TypeElement element = reader.element(e.name());
    ClassName name = EnumValuesWriter.name(e.name());
    if (elements.getTypeElement(name.canonicalName()) == null && element != null
        && !acceptsSources(element, s)) {
      name = EnumValuesWriter.name(s.name().packageName(), e.name());
    }
    String qualified = name.canonicalName();
    if (enumHelpers.add(qualified) && elements.getTypeElement(qualified) == null) {
      List<Element> origins = element == null ? List.of() : List.of(element);
      enumValuesWriter.write(e, name, origins).writeTo(processingEnv.getFiler());
    }
    return name;
  }

  /** Whether a generated class may join the package of {@code enumElement}, used by {@code s}. */
  private boolean acceptsSources(TypeElement enumElement, StructLayout s) {
    var elements = processingEnv.getElementUtils();
    String p = elements.getPackageOf(enumElement).getQualifiedName().toString();
    if (p.equals(s.name().packageName())) {
      return true;
    }
    if (p.startsWith("java.") || p.startsWith("javax.")) {
      return false; // Prohibited or owned by a JDK module, even below --release 9.
    }
    ModuleElement module = elements.getModuleOf(enumElement);
    TypeElement record = reader.element(s.name());
    return module == null || module.isUnnamed()
        || (record != null && module.equals(elements.getModuleOf(record)));
  }

  /** Every struct reachable from {@code t}, nested ones first. */
  private static void collect(FieldType t, Map<String, StructLayout> out) {
    if (t instanceof FieldType.ArrayType a) {
      collect(a.element(), out);
    } else if (t instanceof FieldType.StructType s) {
      for (Member m : s.layout().members()) {
        collect(m.type(), out);
      }
      out.putIfAbsent(s.layout().name().canonicalName(), s.layout());
    }
  }

  private static Diagnostic.Kind severity(Problem p) {
    switch (p.severity()) {
      case ERROR: return Diagnostic.Kind.ERROR;
      case WARNING: return Diagnostic.Kind.WARNING;
      default: return Diagnostic.Kind.NOTE;
    }
  }

  private void report(Problem p, TypeElement record, @Nullable AnnotationMirror mirror,
      List<RecordReader.Part> components) {
    Diagnostic.Kind kind = severity(p);
    Element element = record;
    AnnotationValue at = null;
    AnnotationMirror on = mirror;
    switch (p.site()) {
      case KEY:
        element = components.get(0).site();
        on = null;
        break;
      case VALUE:
        element = components.get(components.size() - 1).site();
        on = null;
        break;
      case RECORD:
        on = null;
        break;
      case TYPE: at = value(mirror, "type"); break;
      case NAME: at = value(mirror, "name"); break;
      case MAX_ENTRIES: at = value(mirror, "maxEntries"); break;
      case FLAGS: at = value(mirror, "flags"); break;
      case KEY_SIZE: at = value(mirror, "keySize"); break;
      case VALUE_SIZE: at = value(mirror, "valueSize"); break;
      default: break;
    }
    reporter.report(kind, element, on, at, p.tag(), p.message());
  }

  private static @Nullable AnnotationMirror mirror(TypeElement record) {
    for (AnnotationMirror m : record.getAnnotationMirrors()) {
      if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName()
          .contentEquals(BpfMap.class.getCanonicalName())) {
        return m;
      }
    }
    return null;
  }

  /** The explicitly written value of {@code name}, or null when it is defaulted. */
  private static @Nullable AnnotationValue value(@Nullable AnnotationMirror mirror, String name) {
    if (mirror == null) {
      return null;
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String article(ElementKind kind) {
    String k = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return ("aeiou".indexOf(k.charAt(0)) >= 0 ? "an " : "a ") + k;
  }
}
