package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.JavaFileObjects;
import io.github.bpfmaps.processor.model.Names;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import org.junit.jupiter.api.Test;

/** Generated members never use Kotlin hard keywords, even when the components do. */
class GeneratedNamesTest {
  @Test
  void componentsNamedLikeKotlinKeywordsAndGeneratedLocalsStillCompile() {
    Compiled c = Compiled.of(JavaFileObjects.forSourceLines("kw.Maps",
        "package kw;",
        "import io.github.bpfmaps.annotations.*;",
        "public final class Maps {",
        "  public enum When { A, B }",
        "  public record Val(int in, long is, @Size(2) int[] object, When when, byte fun,",
        "      @Size(3) byte[] value, short buf, int offset, int i, @Size(4) String raw) {}",
        "  @BpfMap(type = MapType.HASH, maxEntries = 4)",
        "  public record Typealias(int key, Val value) {}",
        "}"));
    for (String name : new String[] {
        "kw.Maps_ValCodec", "kw.Maps_TypealiasMap", "kw.Maps_WhenValues"}) {
      Class<?> type = c.load(name);
      for (Field f : type.getDeclaredFields()) {
        assertThat(Names.KOTLIN_HARD_KEYWORDS).doesNotContain(f.getName());
      }
      for (Method m : type.getDeclaredMethods()) {
        assertThat(Names.KOTLIN_HARD_KEYWORDS).doesNotContain(m.getName());
      }
    }
  }
}
