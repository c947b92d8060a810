package io.github.bpfmaps.processor;

import io.github.bpfmaps.spec.Layout;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Objects;
import java.util.Random;

/**
 * Random record values that fit their C layout, driven by the codec's {@link Layout} (annotations
 * are not visible at run time): narrowed integers stay in range, strings within their bytes. A fifth
 * of the integers are boundary values (0, -1, the minimum and maximum of the C field).
 */
final class RandomValues {
  private static final String STRING_POOL = "abcXYZ09_ -éü€😀";

  private final Random random;

  RandomValues(long seed) {
    random = new Random(seed);
  }

  Object record(Class<?> type, Layout layout) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = component(types[i], layout.fields().get(i));
    }
    try {
      Constructor<?> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private Object component(Class<?> type, Layout.Field f) {
    if (type.isArray()) {
      Object array = Array.newInstance(type.getComponentType(), f.count());
      for (int i = 0; i < f.count(); i++) {
        Array.set(array, i, element(type.getComponentType(), f));
      }
      return array;
    }
    return element(type, f);
  }

  private Object element(Class<?> type, Layout.Field f) {
    switch (f.kind()) {
      case STRUCT:
        return record(type, Objects.requireNonNull(f.nested()));
      case ENUM:
        Object[] constants = type.getEnumConstants();
        return constants[random.nextInt(constants.length)];
      case STRING:
        return string(f.count());
      case BOOL:
        return random.nextBoolean();
      case FLOAT:
        if (type == float.class) {
          float v = Float.intBitsToFloat(random.nextInt());
          return Float.isNaN(v) ? random.nextFloat() : v;
        }
        double d = Double.longBitsToDouble(random.nextLong());
        return Double.isNaN(d) ? random.nextDouble() : d;
      default:
        long bits = integer(f.elementSize(), f.signed());
        if (type == byte.class) {
          return (byte) bits;
        } else if (type == short.class) {
          return (short) bits;
        } else if (type == char.class) {
          return (char) bits;
        } else if (type == int.class) {
          return (int) bits;
        }
        return bits;
    }
  }

  /** A value of a C integer of {@code width} bytes, sign- or zero-extended to a long. */
  private long integer(int width, boolean signed) {
    int bits = width * 8;
    long v;
    int pick = random.nextInt(20);
    if (pick == 0) {
      v = 0;
    } else if (pick == 1) {
      v = -1;
    } else if (pick == 2) {
      v = signed ? Long.MIN_VALUE >> (64 - bits) : -1L;
    } else if (pick == 3) {
      v = signed ? Long.MAX_VALUE >>> (64 - bits) : 1L << (bits - 1);
    } else {
      v = random.nextLong();
    }
    if (bits == 64) {
      return v;
    }
    return signed ? (v << (64 - bits)) >> (64 - bits) : v & ((1L << bits) - 1);
  }

  private String string(int maxBytes) {
    int target = random.nextInt(maxBytes + 1);
    StringBuilder s = new StringBuilder();
    int bytes = 0;
    while (true) {
      int cp = STRING_POOL.codePointAt(
          STRING_POOL.offsetByCodePoints(0, random.nextInt(STRING_POOL.codePointCount(0,
              STRING_POOL.length()))));
      int len = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)
          .length;
      if (bytes + len > target) {
        return s.toString();
      }
      s.appendCodePoint(cp);
      bytes += len;
    }
  }

  /** Component-wise equality that looks into arrays and nested records. */
  static boolean deepEquals(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a.getClass().isArray()) {
      if (!b.getClass().isArray() || Array.getLength(a) != Array.getLength(b)) {
        return false;
      }
      for (int i = 0; i < Array.getLength(a); i++) {
        if (!deepEquals(Array.get(a, i), Array.get(b, i))) {
          return false;
        }
      }
      return true;
    }
    if (a.getClass().isRecord()) {
      if (a.getClass() != b.getClass()) {
        return false;
      }
      for (RecordComponent c : a.getClass().getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          if (!deepEquals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
            return false;
          }
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** A readable form of a value with arrays expanded, for failure messages. */
  static String show(Object v) {
    if (v != null && v.getClass().isArray()) {
      StringBuilder s = new StringBuilder("[");
      for (int i = 0; i < Array.getLength(v); i++) {
        s.append(i == 0 ? "" : ", ").append(show(Array.get(v, i)));
      }
      return s.append(']').toString();
    }
    if (v != null && v.getClass().isRecord()) {
      StringBuilder s = new StringBuilder(v.getClass().getSimpleName()).append('[');
      RecordComponent[] cs = v.getClass().getRecordComponents();
      for (int i = 0; i < cs.length; i++) {
        try {
          cs[i].getAccessor().setAccessible(true);
          s.append(i == 0 ? "" : ", ").append(cs[i].getName()).append('=')
              .append(show(cs[i].getAccessor().invoke(v)));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      return s.append(']').toString();
    }
    return String.valueOf(v);
  }
}
