package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.BpfProgram;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.NeedsBpf;
import io.github.bpfmaps.runtime.Packets;
import io.github.bpfmaps.runtime.maps.BpfArrayMap;
import io.github.bpfmaps.runtime.maps.BpfArrayOfMaps;
import io.github.bpfmaps.runtime.maps.BpfHashOfMaps;
import io.github.bpfmaps.runtime.maps.PerCpuValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every sample object loads with the bpfmaps loader, its program runs under {@code
 * BPF_PROG_TEST_RUN} on packets built here, and its maps, read through the generated handles, hold
 * what the C code wrote.
 */
@NeedsBpf
class SampleObjectsLoadTest {
  static final int XDP_DROP = 1;
  static final int XDP_PASS = 2;
  static final int CLIENT = Packets.ipv4(10, 0, 0, 1);
  static final int SERVER = Packets.ipv4(10, 0, 0, 2);

  @Test
  void xdpCounterCountsPacketsAndBytesUnderTheActionItReturns() {
    try (BpfObject obj = SampleObjects.open("xdp_counter").load();
        XdpStatsMap stats = XdpStatsMap.bind(obj)) {
      BpfProgram prog = obj.program("xdp_count");
      assertEquals(XDP_PASS, prog.testRun(Packets.udp(CLIENT, SERVER, 1234, 53, 60), 1).retval());
      assertEquals(XDP_PASS, prog.testRun(Packets.tcp(CLIENT, SERVER, 1234, 80, 200), 1).retval());
      assertEquals(new DataRec(2, 260), stats.get(XDP_PASS));
      assertEquals(new DataRec(0, 0), stats.get(XDP_DROP));
    }
  }

  @Test
  void flowsKeysEachPacketByItsFiveTupleInNetworkOrder() throws IOException {
    Path pins = pinDir();
    try (BpfObject obj = SampleObjects.open("flows").load(o -> o.pinRoot(pins));
        FlowsMap flows = FlowsMap.bind(obj)) {
      BpfProgram prog = obj.program("xdp_flows");
      prog.testRun(Packets.udp(CLIENT, SERVER, 40000, 53, 80), 1);
      prog.testRun(Packets.udp(CLIENT, SERVER, 40000, 53, 100), 1);
      prog.testRun(Packets.tcp(SERVER, CLIENT, 443, 50000, 1000), 1);
      byte[] arp = Packets.udp(CLIENT, SERVER, 1, 2, 60);
      arp[12] = 0x08;
      arp[13] = 0x06; // not IPv4: passed without counting
      prog.testRun(arp, 1);

      assertEquals(2, flows.keys().size());
      assertEquals(new Flows.FlowStats(2, 180),
          flows.get(new Flows.FlowKey(CLIENT, SERVER, 40000, 53, Packets.UDP)));
      assertEquals(new Flows.FlowStats(1, 1000),
          flows.get(new Flows.FlowKey(SERVER, CLIENT, 443, 50000, Packets.TCP)));
      assertNull(flows.get(new Flows.FlowKey(CLIENT, SERVER, 53, 40000, Packets.UDP)));
      assertTrue(Files.exists(pins.resolve("flows")), "pinned by name under the pin root");
      // What the kernel holds, as bpftool reads it through the object's BTF on this little-endian
      // host: the bytes as on the wire, so 10.0.0.1 reads as 0x0100000a and port 40000 as 0x409c.
      String dump = bpftool("map", "dump", "pinned", pins.resolve("flows").toString());
      String key = String.format("\"saddr\": %d,\\s*\"daddr\": %d,\\s*\"sport\": %d,\\s*\"dport\": %d,"
          + "\\s*\"proto\": 17", Integer.toUnsignedLong(Integer.reverseBytes(CLIENT)),
          Integer.toUnsignedLong(Integer.reverseBytes(SERVER)), Short.toUnsignedInt(Short.reverseBytes((short) 40000)),
          Short.toUnsignedInt(Short.reverseBytes((short) 53)));
      assumeTrue(java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN, "expects a little-endian host");
      assertTrue(java.util.regex.Pattern.compile(key).matcher(dump).find(), key + " in " + dump);
    } finally {
      deleteTree(pins);
    }
  }

  @Test
  void legacyMapsCountWhatTheSocketFilterSees() {
    try (BpfObject obj = SampleObjects.open("legacy_maps").load();
        ProtoCountMap protocols = ProtoCountMap.bind(obj);
        LenHistMap lengths = LenHistMap.bind(obj)) {
      BpfProgram prog = obj.program("count_protocols");
      for (int size : new int[] {60, 100, 200}) {
        assertEquals(0, prog.testRun(Packets.udp(CLIENT, SERVER, 1, 2, size), 1).retval());
      }
      // skb->protocol is the EtherType as the wire has it (0x08 0x00); the program keeps its low
      // byte in host order, 0x08 on little-endian machines.
      assertEquals(3L, protocols.get(0x08));
      // A socket filter sees the skb after the Ethernet header: 46, 86 and 186 bytes.
      assertEquals(1L, lengths.get(0));
      assertEquals(1L, lengths.get(1));
      assertEquals(1L, lengths.get(2));
    }
  }

  @Test
  void globalConfigConstantsSetBeforeLoadChangeWhatTheProgramDoes() {
    byte[] small = Packets.udp(CLIENT, SERVER, 1, 2, 60);
    byte[] large = Packets.udp(CLIENT, SERVER, 1, 2, 300);
    try (BpfObject defaults = SampleObjects.open("global_config").load()) {
      assertEquals(XDP_PASS, defaults.program("xdp_config").testRun(small, 1).retval(), "min_len 0: nothing is short");
    }
    try (BpfObject obj = SampleObjects.open("global_config").load(o -> o.constant("min_len", 100));
        GlobalRodataMap rodata = GlobalRodataMap.bind(obj);
        GlobalBssMap bss = GlobalBssMap.bind(obj);
        GlobalDataMap data = GlobalDataMap.bind(obj);
        BpfArrayMap<Long> stats = new BpfArrayMap<>(obj.mapFd(".data.stats"), obj.spec().map(".data.stats").spec(), Codecs.U64)) {
      BpfProgram prog = obj.program("xdp_config");
      assertEquals(XDP_DROP, prog.testRun(small, 1).retval());
      assertEquals(XDP_PASS, prog.testRun(large, 1).retval());

      assertEquals(new GlobalRodata.Config(100, XDP_PASS), rodata.get(0));
      assertEquals(new GlobalBss.Counters(2, 360, 1), bss.get(0));
      assertEquals(3, data.get(0), "config_version keeps its initial value");
      assertEquals(300L, stats.get(0), "last_len in the .data.stats section's own map");
      data.set(0, 4); // .data is writable
      assertEquals(4, data.get(0));
      assertThrows(BpfPermissionException.class, () -> rodata.set(0, new GlobalRodata.Config(0, XDP_DROP)),
          ".rodata is frozen after load");
    }
  }

  @Test
  void eventsReachTheRingBufferAndTheQueue() {
    try (BpfObject obj = SampleObjects.open("events").load();
        EventsMap events = EventsMap.bind(obj);
        LengthsMap lengths = LengthsMap.bind(obj)) {
      BpfProgram prog = obj.program("xdp_events");
      for (int size : new int[] {64, 128, 256}) {
        prog.testRun(Packets.udp(CLIENT, SERVER, 1, 2, size), 1);
      }
      List<Events.Event> seen = new ArrayList<>();
      events.poll(Duration.ofSeconds(1), seen::add);
      assertEquals(List.of(64L, 128L, 256L), seen.stream().map(e -> (long) e.len()).toList());
      assertEquals(List.of(0L, 1L, 2L), seen.stream().map(Events.Event::seq).toList());
      assertEquals(List.of(64, 128, 256), lengths.drain());
      assertNull(lengths.pop());
    }
  }

  @Test
  void aTestRunWithAnXdpContextShowsTheProgramItsIngressInterface() {
    try (BpfObject obj = SampleObjects.open("events").load();
        EventsMap events = EventsMap.bind(obj)) {
      byte[] frame = Packets.udp(CLIENT, SERVER, 1, 2, 64);
      // struct xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex
      byte[] xdpMd = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.nativeOrder())
          .putInt(4, frame.length).putInt(12, 1).array(); // ifindex 1: lo
      obj.program("xdp_events").testRun(frame, xdpMd, 1);
      List<Events.Event> seen = new ArrayList<>();
      events.consume(seen::add);
      assertEquals(List.of(new Events.Event(0, 64, 1)), seen);
    }
  }

  @Test
  void percpuCounterSumsAcrossCpus() {
    try (BpfObject obj = SampleObjects.open("percpu_counter").load();
        PktCountMap counts = PktCountMap.bind(obj)) {
      BpfProgram prog = obj.program("count_packets");
      int ret = prog.testRun(Packets.udp(CLIENT, SERVER, 1, 2, 100), 7).retval();
      assertEquals(86, ret, "the socket filter returns skb->len, the frame without its Ethernet header");
      PerCpuValues<Long> perCpu = counts.get(0);
      assertNotNull(perCpu);
      assertEquals(Bpf.possibleCpus(), perCpu.size());
      assertEquals(7, perCpu.sum(Long::longValue));
    }
  }

  @Test
  void mapInMapSlotsArePresetAndTheProgramReachesTheInnerMaps() {
    try (BpfObject obj = SampleObjects.open("map_in_map").load();
        InnerAMap innerA = InnerAMap.bind(obj);
        InnerBMap innerB = InnerBMap.bind(obj);
        BpfArrayOfMaps outerArray = new BpfArrayOfMaps(obj.mapFd("outer_array"), obj.spec().map("outer_array").spec());
        BpfHashOfMaps<Integer> outerHash = new BpfHashOfMaps<>(obj.mapFd("outer_hash"), obj.spec().map("outer_hash").spec(),
            Codecs.U32)) {
      assertEquals(innerA.id(), outerArray.get(0), "slot 0 preset to inner_a");
      assertNull(outerArray.get(1));
      assertEquals(innerB.id(), outerArray.get(2), "slot 2 preset to inner_b");

      BpfProgram prog = obj.program("xdp_map_in_map");
      prog.testRun(Packets.udp(CLIENT, SERVER, 1, 2, 64), 1);
      assertEquals(1L, innerA.get(0));
      assertEquals(0L, innerB.get(0));

      outerHash.set(0, innerB.fd()); // the hash of maps starts empty: fill it from user space
      prog.testRun(Packets.udp(CLIENT, SERVER, 1, 2, 64), 1);
      assertEquals(2L, innerA.get(0));
      assertEquals(1L, innerB.get(0));
    }
  }

  @Test
  void aBindOfARecordThatDiffersFromTheObjectNamesBothSides() {
    try (BpfObject obj = SampleObjects.open("xdp_counter").load()) {
      var e = assertThrows(io.github.bpfmaps.errors.BpfSpecMismatchException.class, () -> WrongXdpStatsMap.bind(obj));
      assertTrue(e.getMessage().contains("map 'xdp_stats' (in "), e.getMessage());
      assertTrue(e.differences().contains("type: Java HASH, C ARRAY; use type = MapType.ARRAY"), e.getMessage());
      assertTrue(e.differences().contains("value_size: Java 8, C 16"), e.getMessage());
      var missing = assertThrows(io.github.bpfmaps.errors.BpfException.class, () -> FlowsMap.bind(obj));
      assertTrue(missing.getMessage().contains("has no map 'flows'"), missing.getMessage());
    }
  }

  /** bpftool's plain output; skips the test when bpftool is not installed. */
  static String bpftool(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bpftool"));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "bpftool is not installed");
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  static Path pinDir() throws IOException {
    Path root = Path.of("/sys/fs/bpf");
    assumeTrue(Files.isDirectory(root), "bpffs not mounted at /sys/fs/bpf");
    return Files.createDirectory(root.resolve("bpfmaps-samples-" + UUID.randomUUID().toString().substring(0, 8)));
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
