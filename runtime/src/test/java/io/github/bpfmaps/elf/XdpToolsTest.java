package io.github.bpfmaps.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.annotations.Pinning;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfObjectSpec;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.spec.MapInfo;
import io.github.bpfmaps.spec.MapKind;
import io.github.bpfmaps.spec.ObjectMapSpec;
import io.github.bpfmaps.spec.ProgramSpec;
import io.github.bpfmaps.spec.ProgramType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Objects compiled by others (Debian's xdp-tools) and our own samples parse, and their maps match
 * what the kernel reports after bpftool (libbpf) loads them.
 */
class XdpToolsTest {
  static final Path XDP_TOOLS = Path.of("/usr/lib/x86_64-linux-gnu/bpf");
  private static final Path BPFFS = Path.of("/sys/fs/bpf");

  /** The BPF objects of Debian's xdp-tools package, or none when it is not installed. */
  static List<Path> xdpToolsObjects() {
    if (!Files.isDirectory(XDP_TOOLS)) {
      return List.of();
    }
    try (var s = Files.list(XDP_TOOLS)) {
      return s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Path> xdpTools() {
    List<Path> objects = xdpToolsObjects();
    Assumptions.assumeFalse(objects.isEmpty(),
        "xdp-tools is not installed (apt-get install xdp-tools, or apt-get download xdp-tools && dpkg -x)");
    return objects.stream();
  }

  /** Our samples that libbpf accepts (it refuses the legacy maps section). */
  static Stream<Path> libbpfLoadable() {
    List<Path> out = new ArrayList<>(xdpToolsObjects());
    for (String s : List.of("xdp_counter", "flows", "global_config", "events", "percpu_counter", "map_in_map")) {
      out.add(TestObjects.sample(s));
    }
    out.add(TestObjects.testObject("tail_calls"));
    out.add(TestObjects.testObject("btf_kinds"));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("xdpTools")
  void xdpToolsObjectsParseWithProgramsOfAKnownType(Path object) {
    ParsedObject o = ObjectParser.read(object);
    assertFalse(o.programs().isEmpty(), "programs of " + object);
    for (ProgramSpec p : o.programs()) {
      assertTrue(p.type() != ProgramType.UNSPEC, p.toString());
      assertEquals("GPL", p.license());
      assertTrue(ProgramLinker.link(o, p.name(), name -> 3).instructionCount() >= p.instructionCount());
    }
    assertNotNull(o.btf());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("libbpfLoadable")
  void mapsMatchWhatTheKernelReportsAfterBpftoolLoadsTheObject(Path object) throws IOException {
    Assumptions.assumeTrue(TestObjects.available("bpftool", "version"), "bpftool is not installed");
    Assumptions.assumeTrue(Files.isWritable(BPFFS), "no writable bpffs at /sys/fs/bpf (needs root)");
    ParsedObject ours = ObjectParser.read(object);
    List<Path> newPins = new ArrayList<>();
    for (ObjectMapSpec m : ours.maps()) {
      if (m.pinning() == Pinning.BY_NAME) {
        Path pin = BPFFS.resolve(m.name());
        Assumptions.assumeFalse(Files.exists(pin), pin + " already exists; libbpf would reuse that map");
        newPins.add(pin);
      }
    }
    Path dir = BPFFS.resolve("bpfmaps-elf-test-" + ProcessHandle.current().pid());
    try {
      TestObjects.Run load = TestObjects.run(Path.of("."), "bpftool", "prog", "loadall", object.toString(), dir.toString());
      Assumptions.assumeTrue(load.exit() == 0, "bpftool cannot load " + object.getFileName() + ": "
          + load.err().strip().lines().findFirst().orElse(""));
      Set<String> ids = new LinkedHashSet<>();
      try (var progs = Files.list(dir)) {
        for (Path prog : progs.sorted().toList()) {
          String json = bpftoolJson("prog", "show", "pinned", prog.toString());
          Matcher m = Pattern.compile("\"map_ids\":\\[([0-9,]*)\\]").matcher(json);
          if (m.find() && !m.group(1).isEmpty()) {
            ids.addAll(List.of(m.group(1).split(",")));
          }
        }
      }
      assertFalse(ids.isEmpty(), "the programs of " + object + " use maps");
      for (String id : ids) {
        String json = bpftoolJson("map", "show", "id", id);
        String name = field(json, "name");
        ObjectMapSpec mine = ours.maps().stream()
            .filter(m -> m.name().substring(0, Math.min(15, m.name().length())).equals(name))
            .findFirst().orElseThrow(() -> new AssertionError(object + ": kernel map '" + name + "' not parsed"));
        String what = object.getFileName() + " map " + name;
        assertEquals(field(json, "type"), mine.type().name().toLowerCase(Locale.ROOT), what + " type");
        assertEquals(Long.parseLong(field(json, "bytes_key")), mine.keySize(), what + " key size");
        assertEquals(Long.parseLong(field(json, "bytes_value")), mine.valueSize(), what + " value size");
        assertEquals(Long.parseLong(field(json, "max_entries")), mine.maxEntries(), what + " max_entries");
        assertEquals(Long.parseLong(field(json, "flags")), mine.flags(), what + " flags");
        if (mine.kind() == MapKind.GLOBAL_DATA) {
          assertEquals(mine.freezeAfterLoad(), field(json, "frozen").equals("1"), what + " frozen");
        }
      }
    } finally {
      TestObjects.run(Path.of("."), "rm", "-rf", dir.toString());
      for (Path pin : newPins) {
        Files.deleteIfExists(pin);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("xdpTools")
  void xdpToolsObjectsLoadWithOurLoaderAndTheirMapsAreWhatBpftoolShows(Path object) {
    Assumptions.assumeTrue(Bpf.available(), Bpf.unavailableReason());
    Assumptions.assumeTrue(TestObjects.available("bpftool", "version"), "bpftool is not installed");
    BpfObjectSpec spec = BpfObjectSpec.read(object);
    for (BpfObjectSpec.ProgramDefinition d : spec.programs()) {
      ProgramSpec p = d.spec();
      // xdpdump's fentry/fexit programs trace another XDP program: the kernel loads them only with
        // that program's fd and the BTF id of its function (attach_prog_fd, attach_btf_id), which
        // xdpdump sets at run time; the placeholder 'func' names no kernel function, so libbpf
        // (bpftool prog loadall) refuses the object too.
      Assumptions.assumeFalse(p.type() == ProgramType.TRACING && p.attachTarget().equals("func"),
          object.getFileName() + ": program " + p.name() + " (section " + p.section() + ") traces another BPF"
          + " program, which its user names at run time; libbpf cannot load the object alone either");
    }
    try (BpfObject obj = spec.load()) {
      assertEquals(spec.programs().size(), obj.programs().size(), object + ": every program loads");
      for (BpfProgram p : obj.programs()) {
        String json = bpftoolJson("prog", "show", "id", Integer.toString(p.id()));
        assertEquals(p.type().name().toLowerCase(Locale.ROOT), field(json, "type"), p.name());
      }
      List<ObjectMapSpec> maps = obj.spec().maps().stream().map(BpfObjectSpec.MapDefinition::spec).toList();
      assertFalse(maps.isEmpty(), object + " declares maps");
      for (ObjectMapSpec m : maps) {
        MapInfo info;
        try (MapFd fd = obj.mapFd(m.name())) {
          info = fd.info();
        }
        String json = bpftoolJson("map", "show", "id", Integer.toString(info.id()));
        String what = object.getFileName() + " map " + m.name();
        assertEquals(BpfSys.objName(m.name()), field(json, "name"), what + " name");
        assertEquals(m.type().name().toLowerCase(Locale.ROOT), field(json, "type"), what + " type");
        assertEquals(m.keySize(), Long.parseLong(field(json, "bytes_key")), what + " key size");
        assertEquals(m.valueSize(), Long.parseLong(field(json, "bytes_value")), what + " value size");
        assertEquals(m.maxEntries(), Long.parseLong(field(json, "max_entries")), what + " max_entries");
        assertEquals(m.flags(), Long.parseLong(field(json, "flags")), what + " flags");
        if (m.kind() == MapKind.GLOBAL_DATA) {
          assertEquals(m.freezeAfterLoad(), field(json, "frozen").equals("1"), what + " frozen");
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aProgramTracingAnotherProgramIsRefusedNamingTheFunctionLookedFor() {
    Path xdpdump = XDP_TOOLS.resolve("xdpdump_bpf.o");
    Assumptions.assumeTrue(Files.exists(xdpdump), "xdp-tools is not installed");
    Assumptions.assumeTrue(Bpf.available(), Bpf.unavailableReason());
    io.github.bpfmaps.errors.BpfException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.github.bpfmaps.errors.BpfException.class, () -> BpfObject.load(xdpdump));
    assertTrue(e.getMessage().contains("program trace_on_entry (section fentry/func of " + xdpdump + "): the kernel"
        + " has no function 'func' in its BTF"), e.getMessage());
    assertTrue(e.getMessage().contains("needs that program as its target (attach_prog_fd)"), e.getMessage());
  }

  private static String bpftoolJson(String... args) {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "bpftool";
    cmd[1] = "-j";
    System.arraycopy(args, 0, cmd, 2, args.length);
    TestObjects.Run r = TestObjects.run(Path.of("."), cmd);
    assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.err());
    return r.out();
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
    assertTrue(m.find(), name + " in " + json);
    return m.group(1);
  }
}
