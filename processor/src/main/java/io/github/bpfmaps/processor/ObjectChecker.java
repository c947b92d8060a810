package io.github.bpfmaps.processor;

import io.github.bpfmaps.elf.ObjectParser;
import io.github.bpfmaps.elf.ParsedObject;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.processor.check.ObjectRules;
import io.github.bpfmaps.processor.check.Problem;
import io.github.bpfmaps.processor.model.FieldType;
import io.github.bpfmaps.processor.model.MapModel;
import io.github.bpfmaps.processor.model.Member;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Filer;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;
import org.jspecify.annotations.Nullable;

/**
 * Finds the compiled BPF object a {@code @BpfMap} names ({@code object = "counter.bpf.o"}, or the
 * {@code bpfmaps.object} option for every map), reads it once per compilation, and turns
 * {@link ObjectRules} findings into problems on the record component they concern, nested records
 * included.
 *
 * <p>A relative name is looked up, in this order, in each directory of the {@code bpfmaps.objectPath}
 * option ({@code dir1:dir2}, relative to the working directory of the compiler), then through the
 * {@link Filer} in the source path, the class path, the class output and the source output.
 */
final class ObjectChecker {
  /** Processor option: a BPF object to check every {@code @BpfMap} without {@code object} against. */
  static final String OBJECT = "bpfmaps.object";
  /** Processor option: directories to find relative object names in, separated by the path separator. */
  static final String OBJECT_PATH = "bpfmaps.objectPath";

  private static final JavaFileManager.Location[] LOCATIONS = {
    StandardLocation.SOURCE_PATH, StandardLocation.CLASS_PATH, StandardLocation.CLASS_OUTPUT,
    StandardLocation.SOURCE_OUTPUT,
  };

  /** A problem and the element to report it on; null means the processor's usual place for its site. */
  record Located(Problem problem, @Nullable Element element) {}

  private final Filer filer;
  private final ErrorReporter reporter;
  private final RecordReader reader;
  private final Map<String, String> options;
  /** Objects read so far, by the name used; an absent value means the object could not be read. */
  private final Map<String, ParsedObject> objects = new HashMap<>();
  private final Map<String, String> failures = new HashMap<>();

  ObjectChecker(Filer filer, ErrorReporter reporter, RecordReader reader, Map<String, String> options) {
    this.filer = filer;
    this.reporter = reporter;
    this.reader = reader;
    this.options = options;
  }

  /**
   * Checks {@code map} against its object, if the record or the options name one. An object that
   * cannot be found or read is reported here, on {@code object = ...} (or on the record when the
   * option named it); the returned problems are for the caller to report.
   */
  List<Located> check(TypeElement record, @Nullable AnnotationMirror mirror, @Nullable AnnotationValue objectValue,
      String declared, MapModel map) {
    String name = declared.isEmpty() ? options.getOrDefault(OBJECT, "") : declared;
    if (name.isEmpty()) {
      return List.of();
    }
    ParsedObject object = load(name);
    if (object == null) {
      String why = failures.get(name);
      reporter.report(javax.tools.Diagnostic.Kind.ERROR, record, objectValue == null ? null : mirror, objectValue,
          "BpfMapBtfObject", "cannot check " + record.getSimpleName() + " against BPF object '" + name + "': "
              + why + (declared.isEmpty() ? " (named by -A" + OBJECT + ")" : ""));
      return List.of();
    }
    List<Located> out = new ArrayList<>();
    for (ObjectRules.Found f : ObjectRules.check(map, object, name)) {
      out.add(new Located(f.problem(), element(record, map, f)));
    }
    return out;
  }

  /** The component a member difference is about: in the key's or value's (nested) record. */
  private @Nullable Element element(TypeElement record, MapModel map, ObjectRules.Found f) {
    if (f.javaPath().isEmpty()) {
      return null;
    }
    MapModel.Entry entry = (f.problem().site() == Problem.Site.KEY ? map.key() : map.value()).orElse(null);
    if (entry == null) {
      return null;
    }
    FieldType t = entry.type();
    Element found = null;
    for (String name : f.javaPath()) {
      FieldType s = t instanceof FieldType.ArrayType a ? a.element() : t;
      if (!(s instanceof FieldType.StructType st)) {
        return found;
      }
      TypeElement owner = reader.element(st.layout().name());
      found = owner == null ? found : component(owner, name);
      FieldType next = null;
      for (Member m : st.layout().members()) {
        if (m.name().equals(name)) {
          next = m.type();
        }
      }
      if (next == null) {
        return found;
      }
      t = next;
    }
    return found;
  }

  /** The record component, or for a Kotlin data class (as kapt stubs it) the field, of that name. */
  private static @Nullable Element component(TypeElement owner, String name) {
    Element field = null;
    for (Element e : owner.getEnclosedElements()) {
      if (e.getSimpleName().contentEquals(name)) {
        if (e.getKind() == ElementKind.RECORD_COMPONENT) {
          return e;
        }
        if (e.getKind() == ElementKind.FIELD) {
          field = e;
        }
      }
    }
    return field;
  }

  private @Nullable ParsedObject load(String name) {
    if (objects.containsKey(name)) {
      return objects.get(name);
    }
    if (failures.containsKey(name)) {
      return null;
    }
    try {
      byte[] bytes = read(name);
      if (bytes == null) {
        failures.put(name, "not found" + searched(name));
        return null;
      }
      String fileName = Paths.get(name).getFileName().toString();
      ParsedObject parsed = ObjectParser.parse(bytes, name, ObjectParser.objectName(fileName));
      objects.put(name, parsed);
      return parsed;
    } catch (IOException | BpfException e) {
      failures.put(name, "it cannot be read: " + e.getMessage());
      return null;
    }
  }

  private @Nullable byte[] read(String name) throws IOException {
    Path path = Paths.get(name);
    if (path.isAbsolute()) {
      return Files.isRegularFile(path) ? Files.readAllBytes(path) : null;
    }
    for (String dir : objectPath()) {
      Path p = Paths.get(dir).resolve(name);
      if (Files.isRegularFile(p)) {
        return Files.readAllBytes(p);
      }
    }
    for (JavaFileManager.Location location : LOCATIONS) {
      try {
        FileObject f = filer.getResource(location, "", name);
        try (InputStream in = f.openInputStream()) {
          return in.readAllBytes();
        }
      } catch (IOException | IllegalArgumentException | IllegalStateException e) {
        // Not in this location, or the location is not set up in this compilation: try the next.
      }
    }
    return null;
  }

  private List<String> objectPath() {
    String path = options.getOrDefault(OBJECT_PATH, "");
    List<String> out = new ArrayList<>();
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        out.add(dir);
      }
    }
    return out;
  }

  private String searched(String name) {
    if (Paths.get(name).isAbsolute()) {
      return "";
    }
    List<String> where = new ArrayList<>(objectPath());
    where.add("the source path, class path and class output");
    return " in " + String.join(", ", where) + "; give an absolute path or add its directory to -A"
        + OBJECT_PATH;
  }
}
