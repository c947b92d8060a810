package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * A successful compilation with the processor, and a class loader over its output, so tests can run
 * the generated codecs.
 */
final class Compiled extends ClassLoader {
  final Compilation compilation;

  private Compiled(Compilation compilation) {
    super(Compiled.class.getClassLoader());
    this.compilation = compilation;
  }

  static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new BpfMapProcessor()).compile(sources);
  }

  /** Compiles {@code sources} and fails the test with the diagnostics unless it succeeds. */
  static Compiled of(JavaFileObject... sources) {
    Compilation c = compile(sources);
    assertWithMessage("compilation: %s", c.diagnostics())
        .that(c.status()).isEqualTo(Compilation.Status.SUCCESS);
    return new Compiled(c);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    Optional<JavaFileObject> file = compilation.generatedFile(
        StandardLocation.CLASS_OUTPUT, name.replace('.', '/') + ".class");
    if (file.isEmpty()) {
      throw new ClassNotFoundException(name);
    }
    try (InputStream in = file.get().openInputStream()) {
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Class<?> load(String name) {
    try {
      return loadClass(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("not generated: " + name, e);
    }
  }
}
