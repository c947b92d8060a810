package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.spec.Layout;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code <Enum>Values} helper: generated once per enum however many codecs use it, in one
 * compilation, across rounds and across compilations, and still raising the decode error that
 * names {@code Record.component}.
 */
class EnumValuesTest {
  private static final JavaFileObject KIND = JavaFileObjects.forSourceLines("demo.Kind",
      "package demo;",
      "import io.github.bpfmaps.annotations.CValue;",
      "public enum Kind { EXEC, @CValue(7) EXIT, FORK }");

  /** Map record {@code name} whose value, record {@code <name>.<name>Val}, has enum components. */
  private static JavaFileObject map(String name) {
    return JavaFileObjects.forSourceLines("demo." + name,
        "package demo;",
        "import io.github.bpfmaps.annotations.*;",
        "@BpfMap(type = MapType.HASH, maxEntries = 4)",
        "public record " + name + "(int key, " + name + "Val value) {",
        "  public record " + name + "Val(long n, Kind kind, @Size(2) Kind[] kinds) {}",
        "}");
  }

  @Test
  void twoRecordsWithTheSameEnumShareOneHelper() throws IOException {
    Compiled c = Compiled.of(KIND, map("First"), map("Second"));
    List<String> helpers = generatedSources(c.compilation, "Values.java");
    assertThat(helpers).containsExactly("KindValues.java");
    for (String codec : new String[] {"First_FirstValCodec", "Second_SecondValCodec"}) {
      String source = source(c.compilation, "demo/" + codec + ".java");
      assertThat(source).contains("KindValues.cValue(");
      assertThat(source).contains("KindValues.decode(");
      assertThat(source).doesNotContain("private static long cValue");
    }
    roundTripsAndNamesTheComponent(c::load, "demo.First", "First");
    roundTripsAndNamesTheComponent(c::load, "demo.Second", "Second");
  }

  @Test
  void helperListsTheConstantsWithTheirCValuesInDeclarationOrder() throws Exception {
    Compiled c = Compiled.of(KIND, map("First"));
    Object constants = c.load("demo.KindValues").getField("CONSTANTS").get(null);
    assertThat(constants).isEqualTo(List.of(new Layout.EnumConstant("EXEC", 0),
        new Layout.EnumConstant("EXIT", 7), new Layout.EnumConstant("FORK", 2)));
    Layout.Field kind = codec(c::load, "demo.First_FirstValCodec").layout().fields().get(1);
    assertThat(kind.enumConstants()).isEqualTo(constants);
  }

  @Test
  void nestedEnumHelperIsNamedLikeNestedCodecs() {
    Compiled c = Compiled.of(JavaFileObjects.forSourceLines("demo.Outer",
        "package demo;",
        "import io.github.bpfmaps.annotations.*;",
        "public final class Outer {",
        "  public enum Kind { A, B }",
        "  public record Val(Kind kind) {}",
        "  @BpfMap(type = MapType.ARRAY, maxEntries = 4)",
        "  public record Indexed(int key, Val value) {}",
        "}"));
    assertThat(generatedSources(c.compilation, "Values.java")).containsExactly(
        "Outer_KindValues.java");
    assertThat(source(c.compilation, "demo/Outer_ValCodec.java"))
        .contains("Outer_KindValues.decode(");
  }

  @Test
  void recordOfALaterRoundReusesTheHelperOfAnEarlierOne() throws IOException {
    // The second record's source only exists after round 1, so its codec is written in round 2.
    Compilation c = Compiler.javac()
        .withProcessors(new BpfMapProcessor(), new LateSource("Late"))
        .compile(KIND, map("First"));
    assertWithMessage("%s", c.diagnostics()).that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(generatedSources(c, "Values.java")).containsExactly("KindValues.java");
    assertThat(source(c, "demo/Late_LateValCodec.java")).contains("KindValues.decode(");
  }

  @Test
  void helperOnTheClassPathIsReusedNotRegenerated(@TempDir Path dir) throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    Compiled earlier = Compiled.of(KIND, map("First"));
    writeClasses(earlier.compilation, first);

    List<File> classpath = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(new File(e));
    }
    classpath.add(first.toFile());
    Compilation later = Compiler.javac()
        .withProcessors(new BpfMapProcessor())
        .withClasspath(classpath)
        .compile(map("Second"));
    assertWithMessage("%s", later.diagnostics())
        .that(later.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(generatedSources(later, "Values.java")).isEmpty();
    assertThat(source(later, "demo/Second_SecondValCodec.java")).contains("KindValues.decode(");
    writeClasses(later, second);

    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {first.toUri().toURL(), second.toUri().toURL()},
        EnumValuesTest.class.getClassLoader())) {
      roundTripsAndNamesTheComponent(name -> {
        try {
          return loader.loadClass(name);
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
      }, "demo.Second", "Second");
    }
  }

  @Test
  void enumOfAJdkPackageGetsItsHelperInTheCodecsPackage() {
    Compiled c = Compiled.of(JavaFileObjects.forSourceLines("demo.Timed",
        "package demo;",
        "import io.github.bpfmaps.annotations.*;",
        "@BpfMap(type = MapType.HASH, maxEntries = 4)",
        "public record Timed(int key, Timed.Val value) {",
        "  public record Val(java.util.concurrent.TimeUnit unit) {}",
        "}"));
    assertThat(generatedSources(c.compilation, "Values.java")).containsExactly(
        "TimeUnitValues.java");
    assertThat(c.compilation.generatedFile(StandardLocation.SOURCE_OUTPUT,
        "demo/TimeUnitValues.java").isPresent()).isTrue();
    Codec<Object> codec = codec(c::load, "demo.Timed_ValCodec");
    Object value = newVal(c.load("demo.Timed$Val"), java.util.concurrent.TimeUnit.HOURS);
    assertThat(codec.fromBytes(codec.toBytes(value))).isEqualTo(value);
  }

  // ---- helpers ----

  private interface Loader {
    Class<?> load(String name);
  }

  /** Encodes and decodes a {@code <name>Val}, then decodes an unknown kind and checks the error. */
  private static void roundTripsAndNamesTheComponent(Loader loader, String record, String simple) {
    Class<?> val = loader.load(record + "$" + simple + "Val");
    Class<?> kind = loader.load("demo.Kind");
    Codec<Object> codec = codec(loader, record + "_" + simple + "ValCodec");
    Object[] kinds = kind.getEnumConstants();
    Object kinds2 = java.lang.reflect.Array.newInstance(kind, 2);
    java.lang.reflect.Array.set(kinds2, 0, kinds[2]);
    java.lang.reflect.Array.set(kinds2, 1, kinds[1]);
    Object value = newVal(val, 9L, kinds[1], kinds2);
    byte[] bytes = codec.toBytes(value);
    // EXIT has @CValue(7): the shared helper maps it for every codec.
    assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt(8)).isEqualTo(7);
    assertThat(RandomValues.deepEquals(codec.fromBytes(bytes), value)).isTrue();
    ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putInt(8, 5);
    BpfValueException e = assertThrows(BpfValueException.class, () -> codec.fromBytes(bytes));
    assertThat(e).hasMessageThat().contains(
        simple + "Val.kind holds 5, which no constant of Kind has");
  }

  @SuppressWarnings("unchecked")
  private static Codec<Object> codec(Loader loader, String name) {
    try {
      return (Codec<Object>) loader.load(name).getField("INSTANCE").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object newVal(Class<?> record, Object... args) {
    try {
      return record.getDeclaredConstructors()[0].newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The file names of generated sources that end with {@code suffix}. */
  private static List<String> generatedSources(Compilation c, String suffix) {
    List<String> out = new ArrayList<>();
    for (JavaFileObject f : c.generatedSourceFiles()) {
      String name = Path.of(f.toUri().getPath()).getFileName().toString();
      if (name.endsWith(suffix)) {
        out.add(name);
      }
    }
    return out;
  }

  private static String source(Compilation c, String path) {
    JavaFileObject f = c.generatedFile(StandardLocation.SOURCE_OUTPUT, path)
        .orElseThrow(() -> new AssertionError("not generated: " + path));
    try {
      return f.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the class files of {@code c} under {@code dir}, as a build's output directory. */
  private static void writeClasses(Compilation c, Path dir) throws IOException {
    TreeMap<String, byte[]> classes = new TreeMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      // In-memory URIs look like mem:///CLASS_OUTPUT/demo/Kind.class.
      String path = f.toUri().getPath().replaceFirst("^/CLASS_OUTPUT/", "");
      try (InputStream in = f.openInputStream()) {
        classes.put(path, in.readAllBytes());
      }
    }
    assertThat(classes).isNotEmpty();
    for (var e : classes.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
  }

  /** Writes one more {@code @BpfMap} record in round 1, so that it is processed in round 2. */
  private static final class LateSource extends AbstractProcessor {
    private final String name;
    private boolean written;

    LateSource(String name) {
      this.name = name;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (written) {
        return false;
      }
      written = true;
      try (Writer w = processingEnv.getFiler().createSourceFile("demo." + name).openWriter()) {
        w.write(map(name).getCharContent(true).toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return false;
    }
  }
}
