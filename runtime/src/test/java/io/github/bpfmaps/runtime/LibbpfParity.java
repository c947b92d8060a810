package io.github.bpfmaps.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.spec.MapInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The oracle for "every object libbpf loads, bpfmaps loads with the same maps": {@code bpftool
 * prog loadall} (libbpf) loads the object into a pin directory of its own, bpfmaps loads it too, and
 * the maps the programs use (name, type, key and value size, max entries, flags) and the programs
 * (name, type) must be the same.
 */
final class LibbpfParity {
  private LibbpfParity() {}

  /** One map or program as the kernel describes it. */
  record Kernel(String name, String type, long keySize, long valueSize, long maxEntries, long flags) {}

  /** What libbpf created for the object, or an error naming libbpf's complaint. */
  record Libbpf(Map<String, Kernel> maps, Map<String, Kernel> programs, String error) {}

  /** Loads with bpftool into a fresh pin dir, reads what it made, and removes the pins. */
  static Libbpf loadWithLibbpf(Path object) {
    Path dir = Path.of("/sys/fs/bpf", "bpfmaps-loader-" + ProcessHandle.current().pid() + "-"
        + UUID.randomUUID().toString().substring(0, 6));
    try {
      TestObjects.Run r = TestObjects.run(Path.of("."), "bpftool", "prog", "loadall", object.toString(),
          dir.toString());
      if (r.exit() != 0) {
        return new Libbpf(Map.of(), Map.of(), r.err().lines().filter(l -> l.startsWith("libbpf:"))
            .reduce((a, b) -> a + " | " + b).orElse(r.err().strip()));
      }
      Map<String, Kernel> maps = new TreeMap<>();
      Map<String, Kernel> progs = new TreeMap<>();
      try (var pins = Files.list(dir)) {
        for (Path pin : pins.sorted().toList()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> p = (Map<String, Object>) KernelTests.bpftoolJson("prog", "show", "pinned",
              pin.toString());
          progs.put((String) p.get("name"), new Kernel((String) p.get("name"), (String) p.get("type"), 0, 0, 0, 0));
          Object ids = p.get("map_ids");
          if (ids != null) {
            for (Object id : (List<?>) ids) {
              @SuppressWarnings("unchecked")
              Map<String, Object> m = (Map<String, Object>) KernelTests.bpftoolJson("map", "show", "id",
                  id.toString());
              Kernel k = new Kernel((String) m.get("name"), (String) m.get("type"), (Long) m.get("bytes_key"),
                  (Long) m.get("bytes_value"), (Long) m.get("max_entries"), (Long) m.get("flags"));
              maps.put(k.name(), k);
            }
          }
        }
      }
      return new Libbpf(maps, progs, "");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      TestObjects.run(Path.of("."), "rm", "-rf", dir.toString());
    }
  }

  /** Asserts that libbpf loads the object and bpfmaps loads it with the same maps and programs. */
  static void assertSameAsLibbpf(Path object) {
    Libbpf theirs = loadWithLibbpf(object);
    assertEquals("", theirs.error(), "libbpf loads " + object);
    try (BpfObject ours = BpfObject.load(object)) {
      Map<String, Kernel> ourMaps = new TreeMap<>();
      for (String name : ours.mapNames()) {
        try (MapFd fd = ours.mapFd(name)) {
          MapInfo i = fd.info();
          ourMaps.put(i.name(), new Kernel(i.name(), String.valueOf(i.type()).toLowerCase(Locale.ROOT),
              i.keySize(), i.valueSize(), i.maxEntries(), i.flags()));
        }
      }
      assertFalse(theirs.programs().isEmpty(), object + ": libbpf loaded no program");
      for (Kernel k : theirs.maps().values()) {
        assertEquals(k, ourMaps.get(k.name()), object.getFileName() + ": map " + k.name());
      }
      for (Kernel p : theirs.programs().values()) {
        BpfProgram mine = ours.programs().stream()
            .filter(b -> BpfSysNames.kernelName(b.name()).equals(p.name())).findFirst().orElse(null);
        assertNotNull(mine, object.getFileName() + ": program " + p.name());
        assertEquals(p.type(), mine.type().name().toLowerCase(Locale.ROOT), object.getFileName() + ": program "
            + p.name() + " type");
      }
    }
  }

  /** The kernel's 15-byte name of a program or map. */
  static final class BpfSysNames {
    static String kernelName(String name) {
      return io.github.bpfmaps.runtime.sys.BpfSys.objName(name);
    }
  }
}
