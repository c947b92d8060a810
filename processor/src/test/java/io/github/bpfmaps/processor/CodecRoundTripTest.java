package io.github.bpfmaps.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Codec;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Properties of the generated codecs over seeded random values, and the value errors they raise
 * before writing anything.
 */
class CodecRoundTripTest {
  private static final int VALUES_PER_STRUCT = 300;

  @Test
  void decodeOfEncodeGivesBackEveryRandomValue() {
    RandomValues random = new RandomValues(42);
    for (String s : CtestTypes.STRUCTS) {
      Codec<Object> codec = CtestTypes.codec(s);
      for (int k = 0; k < VALUES_PER_STRUCT; k++) {
        Object value = random.record(CtestTypes.record(s), codec.layout());
        Object back = codec.fromBytes(codec.toBytes(value));
        assertWithMessage("%s round trip of %s gave %s", s, RandomValues.show(value),
            RandomValues.show(back))
            .that(RandomValues.deepEquals(back, value)).isTrue();
      }
    }
  }

  @Test
  void encodeWritesEveryByteAndPaddingAsZeros() {
    RandomValues random = new RandomValues(7);
    for (String s : CtestTypes.STRUCTS) {
      Codec<Object> codec = CtestTypes.codec(s);
      for (int k = 0; k < 20; k++) {
        Object value = random.record(CtestTypes.record(s), codec.layout());
        byte[] dirty = new byte[codec.byteSize()];
        Arrays.fill(dirty, (byte) 0xff);
        codec.encode(value, ByteBuffer.wrap(dirty).order(ByteOrder.nativeOrder()), 0);
        assertWithMessage("%s encoded over 0xff bytes", s)
            .that(dirty).isEqualTo(codec.toBytes(value));
      }
    }
  }

  @Test
  void encodeAndDecodeUseAbsoluteOffsetsAndTouchOnlyTheirBytes() {
    RandomValues random = new RandomValues(9);
    for (String s : CtestTypes.STRUCTS) {
      Codec<Object> codec = CtestTypes.codec(s);
      Object value = random.record(CtestTypes.record(s), codec.layout());
      int at = 13;
      byte[] big = new byte[codec.byteSize() + 2 * at];
      Arrays.fill(big, (byte) 0x5a);
      ByteBuffer buf = ByteBuffer.allocateDirect(big.length).order(ByteOrder.nativeOrder());
      buf.put(big).clear();
      codec.encode(value, buf, at);
      assertThat(buf.position()).isEqualTo(0);
      byte[] after = new byte[big.length];
      buf.get(0, after);
      byte[] expected = big.clone();
      System.arraycopy(codec.toBytes(value), 0, expected, at, codec.byteSize());
      assertWithMessage("%s encoded at offset %s", s, at).that(after).isEqualTo(expected);
      assertWithMessage("%s decoded from offset %s of a direct buffer", s, at)
          .that(RandomValues.deepEquals(codec.decode(buf, at), value)).isTrue();
    }
  }

  @Test
  void stringLongerThanItsSizeInUtf8IsRefusedNamingTheComponent() {
    Object ok = sample("Strings");
    // "héllo" is 5 characters but 6 UTF-8 bytes, one more than @Size(5).
    BpfValueException e = assertThrows(BpfValueException.class,
        () -> CtestTypes.codec("Strings").toBytes(with(ok, "name", "héllo")));
    assertThat(e).hasMessageThat().contains("Strings.name is 6 bytes in UTF-8");
  }

  @Test
  void stringOfExactlyItsSizeFitsWithoutANul() {
    Object value = with(sample("Strings"), "name", "abcde");
    Codec<Object> codec = CtestTypes.codec("Strings");
    byte[] bytes = codec.toBytes(value);
    assertThat(Arrays.copyOfRange(bytes, 0, 5)).isEqualTo("abcde".getBytes());
    assertThat(RandomValues.deepEquals(codec.fromBytes(bytes), value)).isTrue();
  }

  @Test
  void arrayOfTheWrongLengthIsRefused() {
    BpfValueException e = assertThrows(BpfValueException.class,
        () -> CtestTypes.codec("Arrays").toBytes(with(sample("Arrays"), "ints", new int[2])));
    assertThat(e).hasMessageThat().contains("Arrays.ints has 2 elements, but its C array has "
        + "exactly 3");
  }

  @Test
  void valueOutsideItsWidthIsRefused() {
    BpfValueException e = assertThrows(BpfValueException.class,
        () -> CtestTypes.codec("Widths").toBytes(with(sample("Widths"), "b", 70000)));
    assertThat(e).hasMessageThat().contains("Widths.b = 70000 does not fit its 2-byte unsigned "
        + "C field (0..65535)");
  }

  @Test
  void arrayElementOutsideItsWidthIsRefusedWithItsIndex() {
    BpfValueException e = assertThrows(BpfValueException.class,
        () -> CtestTypes.codec("Arrays").toBytes(
            with(sample("Arrays"), "ports", new int[] {1, -1, 3})));
    assertThat(e).hasMessageThat().contains("Arrays.ports[1] = -1 does not fit");
  }

  @Test
  void nullComponentIsRefused() {
    BpfValueException e = assertThrows(BpfValueException.class,
        () -> CtestTypes.codec("Nested").toBytes(with(sample("Nested"), "inner", null)));
    assertThat(e).hasMessageThat().contains("Nested.inner is null");
  }

  @Test
  void unknownEnumNumberIsRefusedOnDecode() {
    Codec<Object> codec = CtestTypes.codec("Enums");
    byte[] bytes = codec.toBytes(sample("Enums"));
    ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putInt(0, 5);
    BpfValueException e = assertThrows(BpfValueException.class, () -> codec.fromBytes(bytes));
    assertThat(e).hasMessageThat().contains("Enums.kind holds 5, which no constant of Kind has");
  }

  @Test
  void nothingIsWrittenWhenANestedValueIsRefused() {
    Codec<Object> codec = CtestTypes.codec("Root");
    Object root = sample("Root");
    // The last component is fine; a string deep inside is too long.
    Object badNested = with(component(root, "nested"), "strings",
        with(component(component(root, "nested"), "strings"), "comm", "x".repeat(17)));
    Object bad = with(root, "nested", badNested);
    byte[] buf = new byte[codec.byteSize()];
    Arrays.fill(buf, (byte) 0xaa);
    assertThrows(BpfValueException.class,
        () -> codec.encode(bad, ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()), 0));
    byte[] untouched = new byte[codec.byteSize()];
    Arrays.fill(untouched, (byte) 0xaa);
    assertThat(buf).isEqualTo(untouched);
  }

  // ---- values ----

  private static Object sample(String struct) {
    return new RandomValues(1).record(CtestTypes.record(struct), CtestTypes.layout(struct));
  }

  private static Object component(Object record, String name) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        try {
          c.getAccessor().setAccessible(true);
          return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no component " + name);
  }

  /** A copy of {@code record} with one component replaced. */
  private static Object with(Object record, String name, Object value) {
    RecordComponent[] cs = record.getClass().getRecordComponents();
    Object[] args = new Object[cs.length];
    Class<?>[] types = new Class<?>[cs.length];
    for (int i = 0; i < cs.length; i++) {
      types[i] = cs[i].getType();
      args[i] = cs[i].getName().equals(name) ? value : component(record, cs[i].getName());
    }
    try {
      Constructor<?> ctor = record.getClass().getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
