package io.github.bpfmaps.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.NeedsBpf;
import io.github.bpfmaps.runtime.maps.BpfKeyedMap;
import io.github.bpfmaps.spec.MapSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Dump} prints what {@code bpftool map dump} prints, byte for byte, on maps without BTF. */
@NeedsBpf
class DumpTest {
  private static String bpftool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bpftool"));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException notInstalled) {
      assumeTrue(false, "bpftool not installed: " + notInstalled.getMessage());
      throw notInstalled;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(30, TimeUnit.SECONDS), "bpftool timed out");
    assertEquals(0, p.exitValue(), "bpftool failed: " + out);
    return out;
  }

  private static String dump(int id, boolean json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Dump.dump(id, json, out));
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** A map filled with {@code entries} distinct entries, dumped in both formats by both tools. */
  private static void sameAsBpftool(MapType type, int keySize, int valueSize, int entries)
      throws Exception {
    MapSpec s = MapSpec.of("dump_test", type, keySize, valueSize, entries, 0);
    try (var m = new BpfKeyedMap<>(MapFd.create(s), s, Codecs.bytes(keySize), Codecs.bytes(valueSize))) {
      for (int k = 0; k < entries; k++) {
        byte[] key = new byte[keySize];
        byte[] value = new byte[valueSize];
        key[0] = (byte) k;
        key[1] = (byte) (k >> 8);
        for (int i = 0; i < valueSize; i++) {
          value[i] = (byte) (k * 31 + i * 7);
        }
        m.set(key, value);
      }
      String id = Integer.toString(m.id());
      assertEquals(bpftool("map", "dump", "id", id), dump(m.id(), false));
      assertEquals(bpftool("-j", "map", "dump", "id", id), dump(m.id(), true));
    }
  }

  @Test
  void hashWithSingleLineEntriesMatchesBpftool() throws Exception {
    sameAsBpftool(MapType.HASH, 4, 16, 300);
  }

  @Test
  void arrayWithLongValuesMatchesBpftool() throws Exception {
    sameAsBpftool(MapType.ARRAY, 4, 40, 5);
  }

  @Test
  void keyAndValueOnSeparateLinesMatchBpftool() throws Exception {
    sameAsBpftool(MapType.HASH, 12, 16, 3); // 28 bytes > 24, neither part over 16
  }

  @Test
  void emptyMapMatchesBpftool() throws Exception {
    MapSpec s = MapSpec.of("dump_empty", MapType.HASH, 4, 8, 4, 0);
    try (var m = new BpfKeyedMap<>(MapFd.create(s), s, Codecs.bytes(4), Codecs.bytes(8))) {
      assertEquals(bpftool("map", "dump", "id", Integer.toString(m.id())), dump(m.id(), false));
      assertEquals(bpftool("-j", "map", "dump", "id", Integer.toString(m.id())), dump(m.id(), true));
    }
  }
}
