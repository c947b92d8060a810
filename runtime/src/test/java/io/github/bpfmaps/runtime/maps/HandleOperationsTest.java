package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.spec.HandleKind;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each keyed handle offers what its kernel type supports, in its type (issue 13): the table below
 * lists, per handle class, which of the deleting and walking operations it has as public methods.
 * Arrays cannot delete entries, so their handles have no deleting method at all (a call does not
 * compile), rather than one that refuses at run time; nothing is deprecated to hide it. A change to
 * what a handle offers has to change this table too.
 */
class HandleOperationsTest {
  private static final Set<String> WATCHED = Set.of("remove", "getAndRemove", "removeAll", "drain",
      "clear", "forEachEntry", "toMap", "iterator", "keys");

  private static final Set<String> HASH_LIKE = Set.of("remove", "getAndRemove", "removeAll", "drain",
      "clear", "forEachEntry", "toMap", "iterator", "keys");
  private static final Set<String> ARRAY_LIKE = Set.of("clear", "forEachEntry", "toMap", "iterator", "keys");
  // fd arrays and hashes of maps empty a slot on delete (fd_array_map_delete_elem); they have no
  // lookup-and-delete, so no getAndRemove or drain
  private static final Set<String> MAP_OF_MAPS = Set.of("remove", "clear", "forEachEntry", "toMap", "iterator", "keys");

  @Test
  void eachHandleOffersWhatItsKernelTypeSupports() {
    Map<Class<?>, Set<String>> expected = new LinkedHashMap<>();
    expected.put(BpfKeyedMap.class, ARRAY_LIKE); // the common base: no deletes
    expected.put(BpfDeletableMap.class, HASH_LIKE); // generic deleting handle: the kernel decides
    expected.put(BpfHashMap.class, HASH_LIKE);
    expected.put(BpfPerCpuHashMap.class, HASH_LIKE);
    expected.put(BpfLpmTrieMap.class, HASH_LIKE);
    expected.put(BpfHashOfMaps.class, MAP_OF_MAPS);
    expected.put(BpfArrayOfMaps.class, MAP_OF_MAPS);
    expected.put(BpfIndexedMap.class, ARRAY_LIKE);
    expected.put(BpfArrayMap.class, ARRAY_LIKE);
    expected.put(BpfPerCpuArrayMap.class, ARRAY_LIKE);
    Map<String, Set<String>> actual = new LinkedHashMap<>();
    for (Class<?> c : expected.keySet()) {
      actual.put(c.getSimpleName(), offered(c));
    }
    assertEquals(expected.entrySet().stream().collect(Collectors.toMap(
            e -> e.getKey().getSimpleName(), e -> new TreeSet<>(e.getValue()))),
        actual.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> new TreeSet<>(e.getValue()))));
  }

  @Test
  void arrayHandlesHaveNoDeletingMethodAndAreNotDeletableMaps() {
    for (Class<?> c : List.of(BpfIndexedMap.class, BpfArrayMap.class, BpfPerCpuArrayMap.class)) {
      assertFalse(BpfDeletableMap.class.isAssignableFrom(c), c.getSimpleName() + " is a BpfDeletableMap");
      assertTrue(BpfKeyedMap.class.isAssignableFrom(c), c.getSimpleName() + " is a BpfKeyedMap");
      Set<String> found = Arrays.stream(c.getMethods())
          .map(Method::getName)
          .filter(n -> n.startsWith("remove") || n.startsWith("getAndRemove") || n.equals("drain")
              || n.startsWith("delete"))
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(Set.of(), found, c.getSimpleName() + " offers deleting methods");
    }
  }

  @Test
  void deletingHandlesAreDeletableMapsAndTheGenericKindIsOneToo() {
    for (Class<?> c : List.of(BpfHashMap.class, BpfPerCpuHashMap.class, BpfLpmTrieMap.class)) {
      assertEquals(BpfDeletableMap.class, c.getSuperclass(), c.getSimpleName());
    }
    assertEquals(BpfDeletableMap.class.getSimpleName(), HandleKind.KEYED.simpleName());
  }

  @Test
  void noPublicKeyedHandleMethodIsDeprecated() {
    for (Class<?> c : List.of(BpfKeyedMap.class, BpfDeletableMap.class, BpfIndexedMap.class,
        BpfArrayMap.class, BpfPerCpuArrayMap.class, BpfHashMap.class, BpfPerCpuHashMap.class,
        BpfLpmTrieMap.class, BpfMapOfMaps.class, BpfArrayOfMaps.class, BpfHashOfMaps.class)) {
      Set<String> deprecated = Arrays.stream(c.getMethods())
          .filter(m -> m.isAnnotationPresent(Deprecated.class))
          .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName())
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(Set.of(), deprecated, c.getSimpleName() + ": what a handle cannot do, it does not have");
    }
  }

  /**
   * Maps of maps write inner maps, never a raw fd: no public method of theirs that writes takes an
   * {@code int} or {@code Integer} value, and the value-taking writes take a {@link MapFd} or a
   * handle.
   */
  @Test
  void mapsOfMapsTakeInnerMapsNeverARawFd() {
    for (Class<?> c : List.of(BpfMapOfMaps.class, BpfArrayOfMaps.class, BpfHashOfMaps.class)) {
      assertFalse(BpfKeyedMap.class.isAssignableFrom(c), c.getSimpleName() + " inherits set(K, Integer)");
      Set<String> writes = new TreeSet<>();
      for (Method m : c.getMethods()) {
        if (m.getName().startsWith("set") || m.getName().startsWith("put")) {
          Class<?>[] p = m.getParameterTypes();
          Class<?> value = p[1];
          writes.add(m.getName() + "(" + value.getSimpleName() + ")");
          assertTrue(value == MapFd.class || value == BpfMapHandle.class, m.toString());
        }
      }
      assertTrue(writes.containsAll(Set.of("set(MapFd)", "set(BpfMapHandle)", "put(MapFd)", "put(BpfMapHandle)")),
          writes.toString());
    }
  }

  /** The watched operations {@code c} offers as public methods. */
  private static Set<String> offered(Class<?> c) {
    Set<String> out = new TreeSet<>();
    for (Method m : c.getMethods()) {
      if (!m.isBridge() && WATCHED.contains(m.getName()) && Modifier.isPublic(m.getModifiers())) {
        out.add(m.getName());
      }
    }
    return out;
  }
}
