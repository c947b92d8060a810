package io.github.bpfmaps.samples.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.UpdateFlag;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.samples.reliability.Tagged.Entry;
import io.github.bpfmaps.samples.reliability.Tagged.Key;
import io.github.bpfmaps.samples.reliability.Tagged.Limits;
import io.github.bpfmaps.spec.MapSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A value that does not fit its C layout is refused at the handle with a {@link BpfValueException}
 * naming the component, before any system call. Three witnesses that no call was made: the map's
 * contents are unchanged; on a frozen map (where any update is EPERM) the error is still the value
 * error; on a closed handle (where any call is refused) it is too, so the check runs before the fd is
 * even taken. Codec-level checks of each rule are in the processor's {@code CodecRoundTripTest}.
 */
class BadValuesTest {
  private static final Key KEY = new Key(80, "http");
  private static final Entry ENTRY = new Entry(-3, new byte[6], new int[] {1, 2, 3, 4}, new Limits(1, 2));

  /** A bad key or value, and the words its message must contain. */
  private record Case(String what, Key key, Entry value, String message) {}

  @SuppressWarnings("DataFlowIssue") // nulls passed on purpose: Java callers can
  private static List<Case> cases() {
    return List.of(
        new Case("string over its @Size", new Key(80, "ninechars"), ENTRY,
            "Key.name is 9 bytes in UTF-8"),
        new Case("string over its @Size in UTF-8 only", new Key(80, "ééééé"), ENTRY,
            "Key.name is 10 bytes in UTF-8"),
        new Case("null string", new Key(80, null), ENTRY, "Key.name is null"),
        new Case("unsigned 2-byte over 65535", new Key(70_000, "x"), ENTRY, "Key.port = 70000 does not fit"),
        new Case("negative unsigned", new Key(-1, "x"), ENTRY, "Key.port = -1 does not fit"),
        new Case("1-byte over 127", KEY, new Entry(200, new byte[6], new int[4], new Limits(0, 0)),
            "Entry.level = 200 does not fit"),
        new Case("1-byte under -128", KEY, new Entry(-129, new byte[6], new int[4], new Limits(0, 0)),
            "Entry.level = -129 does not fit"),
        new Case("byte array too short", KEY, new Entry(0, new byte[5], new int[4], new Limits(0, 0)),
            "Entry.mac has 5 elements"),
        new Case("byte array too long", KEY, new Entry(0, new byte[7], new int[4], new Limits(0, 0)),
            "Entry.mac has 7 elements"),
        new Case("int array of the wrong length", KEY, new Entry(0, new byte[6], new int[3], new Limits(0, 0)),
            "Entry.counts has 3 elements"),
        new Case("null array", KEY, new Entry(0, new byte[6], null, new Limits(0, 0)), "Entry.counts is null"),
        new Case("null nested record", KEY, new Entry(0, new byte[6], new int[4], null), "Entry.limits is null"),
        new Case("nested unsigned out of range", KEY, new Entry(0, new byte[6], new int[4], new Limits(0, 65_536)),
            "Limits.high = 65536 does not fit"),
        new Case("null key", null, ENTRY, "null"),
        new Case("null value", KEY, null, "null"));
  }

  private static Map<Key, Entry> contents(TaggedMap m) {
    Map<Key, Entry> out = new LinkedHashMap<>();
    m.forEachEntry(out::put);
    return out;
  }

  @Test
  void everyBadComponentIsRefusedByNameAndTheMapIsUnchanged() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    try (TaggedMap m = TaggedMap.create()) {
      m.set(KEY, ENTRY);
      String before = describe(contents(m));
      for (Case c : cases()) {
        for (UpdateFlag flag : UpdateFlag.values()) {
          if (flag == UpdateFlag.LOCK) {
            continue; // needs a bpf_spin_lock in the value
          }
          BpfValueException e = assertThrows(BpfValueException.class, () -> m.put(c.key(), c.value(), flag),
              c.what() + " with " + flag);
          assertTrue(e.getMessage().contains(c.message()), c.what() + ": " + e.getMessage());
          assertEquals(0, e.errno(), "found before any system call");
        }
        BpfValueException batch = assertThrows(BpfValueException.class,
            () -> m.putAll(mapOf(new Key(1, "fine"), ENTRY, c.key(), c.value()), UpdateFlag.ANY), c.what());
        assertTrue(batch.getMessage().contains(c.message()), batch.getMessage());
        assertEquals(before, describe(contents(m)), c.what() + " changed the map");
      }
    }
  }

  @Test
  void putAllWritesNothingWhenOneEntryIsRefusedWhateverTheFlag() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    try (TaggedMap m = TaggedMap.create()) {
      m.set(KEY, ENTRY);
      String before = describe(contents(m));
      for (UpdateFlag flag : List.of(UpdateFlag.ANY, UpdateFlag.NOEXIST, UpdateFlag.EXIST)) {
        Map<Key, Entry> entries = new LinkedHashMap<>();
        entries.put(flag == UpdateFlag.EXIST ? KEY : new Key(1, "fine"), ENTRY);
        entries.put(new Key(2, "too-long-name"), ENTRY);
        BpfValueException e = assertThrows(BpfValueException.class, () -> m.putAll(entries, flag), flag.name());
        assertTrue(e.getMessage().contains("Key.name is 13 bytes"), e.getMessage());
        assertEquals(before, describe(contents(m)), "putAll with " + flag + " wrote part of a refused batch");
      }
    }
  }

  @Test
  void putAllOfMoreThanOneChunkWritesNothingWhenALateEntryIsRefused() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    // small and large values: the number of entries per batch call may depend on their size
    for (int valueSize : new int[] {8, 1024}) {
      MapSpec spec = MapSpec.of("rel_chunks", MapType.HASH, 4, valueSize, 10_000, 0);
      try (var m = new BpfHashMap<>(MapFd.create(spec), spec, Codecs.U32, Codecs.bytes(valueSize))) {
        Map<Integer, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 9_000; i++) {
          entries.put(i, new byte[i == 8_999 ? valueSize - 1 : valueSize]);
        }
        assertThrows(BpfValueException.class, () -> m.putAll(entries, UpdateFlag.ANY));
        assertEquals(0, m.keys().size(), valueSize + "-byte values: entries of earlier chunks were written");
        entries.put(8_999, new byte[valueSize]);
        assertEquals(9_000, m.putAll(entries, UpdateFlag.ANY));
        assertEquals(9_000, m.keys().size());
      }
    }
  }

  @Test
  void badKeysAreRefusedByReadsAndDeletesToo() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    try (TaggedMap m = TaggedMap.create()) {
      m.set(KEY, ENTRY);
      for (Case c : cases()) {
        if (c.key() == KEY) {
          continue;
        }
        for (Consumer<Key> op : List.<Consumer<Key>>of(m::get, m::contains, m::remove, m::getAndRemove)) {
          BpfValueException e = assertThrows(BpfValueException.class, () -> op.accept(c.key()), c.what());
          assertTrue(e.getMessage().contains(c.message()), e.getMessage());
        }
      }
      assertEquals(1, contents(m).size());
    }
  }

  @Test
  void onAFrozenMapABadValueIsStillAValueErrorNotTheKernelsEperm() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    try (TaggedMap m = TaggedMap.create()) {
      m.set(KEY, ENTRY);
      m.freeze();
      assertThrows(BpfPermissionException.class, () -> m.set(KEY, ENTRY), "a good write does reach the kernel");
      everyCaseIsRefusedBySet(m);
    }
  }

  @Test
  void onAClosedHandleABadValueIsAValueErrorSoTheCheckRunsBeforeTheFdIsTaken() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    TaggedMap m = TaggedMap.create();
    m.close();
    everyCaseIsRefusedBySet(m);
  }

  private static void everyCaseIsRefusedBySet(TaggedMap m) {
    for (Case c : cases()) {
      BpfValueException e = assertThrows(BpfValueException.class, () -> m.set(c.key(), c.value()), c.what());
      assertTrue(e.getMessage().contains(c.message()), e.getMessage());
      assertEquals(0, e.errno());
    }
  }

  @Test
  void rawByteKeysAndValuesOfTheWrongSizeOrNullAreRefusedBeforeAnySystemCall() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    MapSpec spec = MapSpec.of("rel_raw", MapType.HASH, 4, 8, 4, 0);
    MapSpec arraySpec = MapSpec.of("rel_raw_arr", MapType.ARRAY, 4, 8, 4, 0);
    try (var m = new BpfHashMap<>(MapFd.create(spec), spec, Codecs.bytes(4), Codecs.bytes(8));
        var a = new BpfArrayMap<>(MapFd.create(arraySpec), arraySpec, Codecs.bytes(8))) {
      byte[] key = {1, 2, 3, 4};
      m.set(key, new byte[8]);
      a.set(1, new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
      m.freeze();
      a.freeze(); // from here any write that reaches the kernel is EPERM
      for (byte[] badKey : new byte[][] {new byte[3], new byte[5], new byte[0], null}) {
        BpfValueException e = assertThrows(BpfValueException.class, () -> m.set(badKey, new byte[8]));
        assertTrue(e.getMessage().contains("bytes(4)"), e.getMessage());
        assertThrows(BpfValueException.class, () -> m.get(badKey));
      }
      for (byte[] badValue : new byte[][] {new byte[7], new byte[9], null}) {
        BpfValueException e = assertThrows(BpfValueException.class, () -> m.set(key, badValue));
        assertTrue(e.getMessage().contains("bytes(8)"), e.getMessage());
        assertThrows(BpfValueException.class, () -> a.set(1, badValue));
      }
      assertThrows(BpfValueException.class, () -> a.set(null, new byte[8]));
      assertEquals(1, m.toMap().size());
      assertTrue(Arrays.equals(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, a.get(1)));
    }
  }

  private static Map<Key, Entry> mapOf(Key k1, Entry v1, Key k2, Entry v2) {
    Map<Key, Entry> m = new LinkedHashMap<>(); // Map.of refuses nulls
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static String describe(Map<Key, Entry> m) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(k).append('=').append(v.level()).append(Arrays.toString(v.mac()))
        .append(Arrays.toString(v.counts())).append(v.limits()).append(';'));
    return b.toString();
  }
}
