package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.JavaFileObjects;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfSpecMismatchException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A build that does not check records at compile time still cannot read a stale object wrongly: the
 * generated handle's {@code bind} compares the codecs' {@code LAYOUT} (C names, signedness, byte
 * order, array counts) with the object's BTF and refuses, naming every difference. Binding needs
 * the object loaded (a {@link BpfObject} exists only loaded), so these tests need bpf(2).
 */
class StaleObjectTest {
  private static Object bind(String mapClass, JavaFileObject records) throws Throwable {
    Compiled c = Compiled.of(records);
    Method bind = c.load(mapClass).getMethod("bind", BpfObject.class);
    Assumptions.assumeTrue(Bpf.available(), Bpf.unavailableReason());
    try (BpfObject o = BpfObject.load(ProcessorObjectCheckTest.OBJECTS.resolve("drift.bpf.o"))) {
      return bind.invoke(null, o);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void aRecordNewerThanTheObjectFailsAtBindNamingEachDifference() {
    JavaFileObject newer = JavaFileObjects.forSourceLines("stale.Maps",
        "package stale;",
        "import io.github.bpfmaps.annotations.*;",
        "public final class Maps {",
        "  public record DataRec(@Unsigned long packets, @Unsigned long bytes, @Unsigned long drops) {}",
        "  @BpfMap(type = MapType.ARRAY, maxEntries = 16)",
        "  public record Stats(@Unsigned int index, DataRec value) {}",
        "}");
    BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class, () -> bind("stale.Maps_StatsMap", newer));
    assertThat(e.getMessage()).contains("map 'stats' (in ");
    assertThat(e.getMessage()).contains("value_size: Java 24, C 16");
    assertThat(e.getMessage()).contains("value: struct datarec is 16 bytes in C, 24 in Java");
    assertThat(e.getMessage()).contains("value.drops: C struct datarec has no member 'drops' and none at offset 16");
  }

  @Test
  void signednessByteOrderAndArrayCountsReachTheRunTimeCheck() {
    JavaFileObject drifted = JavaFileObjects.forSourceLines("stale.Maps",
        "package stale;",
        "import io.github.bpfmaps.annotations.*;",
        "public final class Maps {",
        "  public enum Color { @CValue(1) RED, @CValue(2) GREEN, @CValue(4) BLUE }",
        "  public record Inner(@Unsigned int a, int b) {}",
        "  public record Sample(int pid, @NetworkOrder int delta, @Size(16) String comm,",
        "      @Unsigned @Size(3) short[] ports, @Padding(2) Inner inner, Color color) {}",
        "  @BpfMap(type = MapType.HASH, maxEntries = 128)",
        "  public record Samples(@Unsigned int pid, Sample value) {}",
        "}");
    BpfException e = assertThrows(BpfException.class, () -> bind("stale.Maps_SamplesMap", drifted));
    assertThat(e.getMessage()).contains("value.pid: C __u32 is unsigned, Java is signed; mark it @Unsigned");
    assertThat(e.getMessage()).contains("value.delta: C __s32 is in host byte order (not a __be type), Java is @NetworkOrder");
    assertThat(e.getMessage()).contains("value.ports: an array of 4 in C, an array of 3 in Java");
  }

  /** C reordered its enum (GREEN = 2, BLUE = 4 swapped in Java): bind compares constant by constant. */
  @Test
  void aReorderedCEnumFailsAtBindNamingTheConstant() {
    JavaFileObject reordered = JavaFileObjects.forSourceLines("stale.Maps",
        "package stale;",
        "import io.github.bpfmaps.annotations.*;",
        "public final class Maps {",
        "  public enum Color { @CValue(1) RED, @CValue(4) GREEN, @CValue(2) BLUE }",
        "  public record Inner(@Unsigned int a, int b) {}",
        "  public record Sample(@Unsigned int pid, int delta, @Size(16) String comm,",
        "      @Unsigned @Size(4) short[] ports, Inner inner, Color color) {}",
        "  @BpfMap(type = MapType.HASH, maxEntries = 128)",
        "  public record Samples(@Unsigned int pid, Sample value) {}",
        "}");
    BpfSpecMismatchException e = assertThrows(BpfSpecMismatchException.class,
        () -> bind("stale.Maps_SamplesMap", reordered));
    assertThat(e.differences()).containsExactly(
        "value.color: Java GREEN = 4, C GREEN = 2; use @CValue(2)",
        "value.color: Java BLUE = 2, C BLUE = 4; use @CValue(4)");
  }
}
