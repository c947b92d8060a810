package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.spec.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated layouts against the real C compiler: the structs of ctest/Types.java are declared by
 * hand in ctest/types.h; a generated C program prints their sizeof, _Alignof and offsetof and the
 * bytes of structs filled with random values, and the codecs must report the same layout, encode
 * the same values to exactly those bytes and decode those bytes to the same values.
 */
class CLayoutTest {
  private static final int CASES_PER_STRUCT = 8;
  private static final long SEED = 0x5eed_b9f0L;

  @TempDir static Path dir;
  private static final Map<String, String> output = new HashMap<>();
  private static final Map<String, Object> values = new HashMap<>();

  @BeforeAll
  static void compileAndRunTheCProgram() throws Exception {
    Assumptions.assumeTrue(gccWorks(), "gcc is not on the PATH (or cannot compile); the C layout "
        + "test needs a C compiler to compare the generated layouts with");
    StringBuilder c = new StringBuilder();
    c.append(resource("ctest/types.h"));
    c.append("#include <endian.h>\n#include <stddef.h>\n#include <stdio.h>\n#include <string.h>\n");
    c.append("static void dump(const char *name, const void *p, size_t n) {\n"
        + "  printf(\"bytes %s \", name);\n"
        + "  for (size_t i = 0; i < n; i++) printf(\"%02x\", ((const unsigned char *) p)[i]);\n"
        + "  printf(\"\\n\");\n}\n");
    c.append("int main(void) {\n");
    RandomValues random = new RandomValues(SEED);
    for (String s : CtestTypes.STRUCTS) {
      Layout layout = CtestTypes.layout(s);
      c.append(String.format("  printf(\"size %s %%zu\\n\", sizeof(struct %s));%n", s, s));
      c.append(String.format("  printf(\"align %s %%zu\\n\", _Alignof(struct %s));%n", s, s));
      for (Layout.Field f : layout.fields()) {
        c.append(String.format("  printf(\"offset %s.%s %%zu\\n\", offsetof(struct %s, %s));%n",
            s, f.cName(), s, f.cName()));
      }
      for (int k = 0; k < CASES_PER_STRUCT; k++) {
        String name = s + "#" + k;
        Object value = random.record(CtestTypes.record(s), layout);
        values.put(name, value);
        c.append("  { struct ").append(s).append(" v; memset(&v, 0, sizeof v);\n");
        fill(c, "v", value, layout);
        c.append("    dump(\"").append(name).append("\", &v, sizeof v); }\n");
      }
    }
    c.append("  return 0;\n}\n");
    Path source = dir.resolve("layout.c");
    Files.writeString(source, c);
    Path exe = dir.resolve("layout");
    run(List.of("gcc", "-std=gnu11", "-O0", "-Wall", "-Wno-address-of-packed-member", "-o",
        exe.toString(), source.toString()));
    for (String line : run(List.of(exe.toString())).split("\n")) {
      String[] parts = line.split(" ");
      output.put(parts[0] + " " + parts[1], parts.length > 2 ? parts[2] : "");
    }
  }

  @Test
  void sizesAndAlignmentsMatchTheCCompiler() {
    for (String s : CtestTypes.STRUCTS) {
      Layout layout = CtestTypes.layout(s);
      assertWithMessage("sizeof(struct %s)", s)
          .that(layout.size()).isEqualTo(Integer.parseInt(output.get("size " + s)));
      assertWithMessage("_Alignof(struct %s)", s)
          .that(layout.align()).isEqualTo(Integer.parseInt(output.get("align " + s)));
      assertWithMessage("%sCodec.byteSize()", s)
          .that(CtestTypes.codec(s).byteSize()).isEqualTo(layout.size());
    }
  }

  @Test
  void offsetsMatchTheCCompiler() {
    for (String s : CtestTypes.STRUCTS) {
      for (Layout.Field f : CtestTypes.layout(s).fields()) {
        assertWithMessage("offsetof(struct %s, %s)", s, f.cName())
            .that(f.offset()).isEqualTo(Integer.parseInt(output.get("offset " + s + "." + f.cName())));
      }
    }
  }

  @Test
  void encodingProducesTheBytesOfTheCStruct() {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String s = e.getKey().substring(0, e.getKey().indexOf('#'));
      Codec<Object> codec = CtestTypes.codec(s);
      assertWithMessage("bytes of %s = %s", e.getKey(), RandomValues.show(e.getValue()))
          .that(HexFormat.of().formatHex(codec.toBytes(e.getValue())))
          .isEqualTo(output.get("bytes " + e.getKey()));
    }
  }

  @Test
  void decodingTheCStructGivesBackTheValue() {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String s = e.getKey().substring(0, e.getKey().indexOf('#'));
      byte[] bytes = HexFormat.of().parseHex(output.get("bytes " + e.getKey()));
      Object decoded = CtestTypes.codec(s).decode(
          ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0);
      assertWithMessage("decoded %s: %s, expected %s", e.getKey(), RandomValues.show(decoded),
          RandomValues.show(e.getValue()))
          .that(RandomValues.deepEquals(decoded, e.getValue())).isTrue();
    }
  }

  // ---- C statements that store a Java value into a struct, member by member ----

  private static void fill(StringBuilder c, String path, Object value, Layout layout) {
    RecordComponent[] components = value.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      Layout.Field f = layout.fields().get(i);
      Object v = get(components[i], value);
      String lv = path + "." + f.cName();
      if (f.count() > 0 && f.kind() != Layout.Kind.STRING) {
        for (int j = 0; j < f.count(); j++) {
          fillElement(c, lv + "[" + j + "]", Array.get(v, j), f);
        }
      } else {
        fillElement(c, lv, v, f);
      }
    }
  }

  private static void fillElement(StringBuilder c, String lv, Object v, Layout.Field f) {
    switch (f.kind()) {
      case STRUCT:
        fill(c, lv, v, f.nested());
        return;
      case ENUM:
        // The C enum constants carry the values; Java only names the constant.
        c.append("    ").append(lv).append(" = ").append(((Enum<?>) v).name()).append(";\n");
        return;
      case STRING:
        byte[] bytes = ((String) v).getBytes(StandardCharsets.UTF_8);
        StringBuilder lit = new StringBuilder();
        for (byte b : bytes) {
          lit.append(String.format("\\x%02x", b & 0xff));
        }
        c.append("    memcpy(").append(lv).append(", \"").append(lit).append("\", ")
            .append(bytes.length).append(");\n");
        return;
      case BOOL:
        c.append("    ").append(lv).append(" = ").append((Boolean) v ? 1 : 0).append(";\n");
        return;
      case FLOAT:
        if (v instanceof Float fl) {
          c.append(String.format("    %s = ((union { uint32_t u; float f; }) { .u = 0x%08xu }).f;%n",
              lv, Float.floatToRawIntBits(fl)));
        } else {
          c.append(String.format(
              "    %s = ((union { uint64_t u; double d; }) { .u = 0x%016xull }).d;%n",
              lv, Double.doubleToRawLongBits((Double) v)));
        }
        return;
      default:
        int bits = f.elementSize() * 8;
        long n = v instanceof Character ch ? ch : ((Number) v).longValue();
        long masked = bits == 64 ? n : n & ((1L << bits) - 1);
        String literal = String.format("(uint%d_t) 0x%xull", bits, masked);
        if (f.networkOrder() && bits > 8) {
          literal = "htobe" + bits + "(" + literal + ")";
        }
        c.append("    ").append(lv).append(" = ").append(literal).append(";\n");
    }
  }

  private static Object get(RecordComponent component, Object record) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  // ---- processes ----

  private static boolean gccWorks() {
    try {
      run(List.of("gcc", "--version"));
      return true;
    } catch (IOException | AssertionError e) {
      return false;
    }
  }

  private static String run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return out;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CLayoutTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
