package io.github.bpfmaps.runtime.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each keyed handle offers what its kernel type supports (issue 13): the table below lists, per
 * handle class, which of the deleting and walking operations it offers, where "offered" means a
 * public method that is not {@code @Deprecated}. Arrays cannot delete entries, so their handles
 * refuse the deleting operations (deprecated overrides that throw); a change to what a handle
 * offers has to change this table too.
 */
class HandleOperationsTest {
  private static final Set<String> WATCHED =
      Set.of("remove", "getAndRemove", "removeAll", "drain", "clear", "forEachEntry", "forEach");

  private static final Set<String> HASH_LIKE =
      Set.of("remove", "getAndRemove", "removeAll", "drain", "clear", "forEachEntry");
  private static final Set<String> ARRAY_LIKE = Set.of("clear", "forEachEntry");

  @Test
  void eachHandleOffersWhatItsKernelTypeSupports() {
    Map<Class<?>, Set<String>> expected = new LinkedHashMap<>();
    expected.put(BpfKeyedMap.class, HASH_LIKE); // generic handle: the kernel decides
    expected.put(BpfHashMap.class, HASH_LIKE);
    expected.put(BpfPerCpuHashMap.class, HASH_LIKE);
    expected.put(BpfLpmTrieMap.class, HASH_LIKE);
    expected.put(BpfHashOfMaps.class, HASH_LIKE);
    // fd arrays (kernel fd_array_map_delete_elem) empty a slot on delete
    expected.put(BpfArrayOfMaps.class, HASH_LIKE);
    expected.put(BpfIndexedMap.class, ARRAY_LIKE);
    expected.put(BpfArrayMap.class, ARRAY_LIKE);
    expected.put(BpfPerCpuArrayMap.class, ARRAY_LIKE);
    Map<Class<?>, Set<String>> actual = new LinkedHashMap<>();
    for (Class<?> c : expected.keySet()) {
      actual.put(c, offered(c));
    }
    assertEquals(expected.entrySet().stream().collect(Collectors.toMap(
            e -> e.getKey().getSimpleName(), e -> new TreeSet<>(e.getValue()))),
        actual.entrySet().stream().collect(Collectors.toMap(
            e -> e.getKey().getSimpleName(), e -> new TreeSet<>(e.getValue()))));
  }

  @Test
  void refusedOperationsAreDeclaredOnceForBothArrayHandles() {
    assertEquals(BpfIndexedMap.class, BpfArrayMap.class.getSuperclass());
    assertEquals(BpfIndexedMap.class, BpfPerCpuArrayMap.class.getSuperclass());
    for (Class<?> c : new Class<?>[] {BpfIndexedMap.class}) {
      Set<String> declaredDeprecated = Arrays.stream(c.getDeclaredMethods())
          .filter(m -> !m.isBridge() && Modifier.isPublic(m.getModifiers()))
          .filter(m -> m.isAnnotationPresent(Deprecated.class))
          .map(Method::getName)
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(new TreeSet<>(Set.of("remove", "getAndRemove", "removeAll", "drain")),
          declaredDeprecated, c.getSimpleName());
    }
  }

  /** The watched operations {@code c} offers: public, not a bridge, not deprecated. */
  private static Set<String> offered(Class<?> c) {
    Set<String> names = new TreeSet<>();
    for (Method m : c.getMethods()) {
      if (!m.isBridge() && WATCHED.contains(m.getName()) && !m.isAnnotationPresent(Deprecated.class)) {
        names.add(m.getName() + Arrays.toString(m.getParameterTypes()));
      }
    }
    // a name counts as offered if some non-deprecated overload remains, except Iterable's
    // forEach(Consumer), which every Iterable has and is not one of ours
    Set<String> out = new TreeSet<>();
    for (String n : names) {
      if (!n.startsWith("forEach[")) {
        out.add(n.substring(0, n.indexOf('[')));
      }
    }
    return out;
  }
}
