package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.HandleKind;
import io.github.bpfmaps.spec.MapSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The type → handle table against the handle classes themselves (no kernel needed). */
class HandleKindTest {
  @Test
  void everyKindNamesAPublicHandleWhoseConstructorTakesTheCodecsItSays() throws Exception {
    for (HandleKind k : HandleKind.values()) {
      Class<?> c = Class.forName(k.className());
      assertEquals(k.simpleName(), c.getSimpleName());
      assertTrue(BpfMapHandle.class.isAssignableFrom(c), k + " is a handle");
      assertTrue(Modifier.isPublic(c.getModifiers()), k + " is public");
      List<Class<?>> expected = new ArrayList<>(List.of(MapFd.class, MapSpec.class));
      if (k.takesKey()) {
        expected.add(Codec.class);
      }
      if (k.takesValue()) {
        expected.add(Codec.class);
      }
      boolean found = false;
      for (Constructor<?> ctor : c.getConstructors()) {
        found |= Arrays.asList(ctor.getParameterTypes()).equals(expected);
      }
      assertTrue(found, k + ": " + c.getSimpleName() + " has no public constructor " + expected);
    }
  }

  @Test
  void everyTypeHasOneKindAndTheKindsAgreeWithTheTypePredicates() {
    Map<MapType, HandleKind> seen = new EnumMap<>(MapType.class);
    for (HandleKind k : HandleKind.values()) {
      for (MapType t : k.types()) {
        HandleKind before = seen.put(t, k);
        assertEquals(null, before, t + " is in both " + before + " and " + k);
      }
    }
    assertTrue(HandleKind.KEYED.types().isEmpty());
    for (MapType t : MapType.values()) {
      HandleKind k = HandleKind.of(t);
      assertEquals(seen.getOrDefault(t, HandleKind.KEYED), k, t.name());
      if (k != HandleKind.KEYED) {
        assertEquals(t.perCpu(), k == HandleKind.PERCPU_HASH || k == HandleKind.PERCPU_ARRAY, t + " per-CPU");
        assertEquals(t.keyless(), !k.takesKey() && !t.indexed() && k != HandleKind.RINGBUF
            && k != HandleKind.USER_RINGBUF, t + " keyless");
        assertEquals(t.mapOfMaps(), !k.takesValue(), t + " map of maps");
      }
    }
  }
}
