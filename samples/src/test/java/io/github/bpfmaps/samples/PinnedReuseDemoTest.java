package io.github.bpfmaps.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.runtime.Bpf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code write}, {@code read} and {@code clean} each run in a JVM of their own, as a user runs them. */
class PinnedReuseDemoTest {
  private static final Pattern MAP_ID = Pattern.compile("map 'flows' \\(id (\\d+)\\)");

  private Path pinRoot;

  @BeforeEach
  void pinRootUnderBpffs() {
    assumeTrue(Bpf.available(), Bpf.unavailableReason());
    assumeTrue(Files.isDirectory(Path.of("/sys/fs/bpf")), "bpffs not mounted at /sys/fs/bpf");
    // Not created here: write must create it, as it would for a user.
    pinRoot = Path.of("/sys/fs/bpf", "bpfmaps-pinned-test-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @AfterEach
  void unpin() throws IOException {
    if (pinRoot != null && Files.exists(pinRoot)) {
      SampleObjectsLoadTest.deleteTree(pinRoot);
    }
  }

  @Test
  void aSecondProcessReadsTheCountsTheFirstLeftInThePinnedMap() throws Exception {
    Ran write = child("write");
    assertEquals(0, write.status(), write.toString());
    assertTrue(Files.exists(pinRoot.resolve("flows")), "the writer exits, its pin stays: " + write);

    Ran read = child("read");
    assertEquals(0, read.status(), read.toString());
    assertEquals(mapId(write), mapId(read), "the reader opens the very map the writer made");
    Ran inProcess = Ran.run((args, out, err) -> FlowTableDemo.run(out, err));
    assertEquals(table(inProcess), table(read), "the reader sees what the writer's traffic counted");

    Ran clean = child("clean");
    assertEquals(0, clean.status(), clean.toString());
    assertTrue(clean.out().contains("unpinned " + pinRoot.resolve("flows")), clean.toString());
    assertFalse(Files.exists(pinRoot), "clean removes the pin root it emptied");
  }

  @Test
  void aSecondWriteReusesThePinSoTheCountsAddUp() {
    assertEquals(0, Ran.run(PinnedReuseDemo::run, "write", pinRoot.toString()).status());
    Ran again = Ran.run(PinnedReuseDemo::run, "write", pinRoot.toString());
    assertEquals(0, again.status(), again.toString());
    Ran read = Ran.run(PinnedReuseDemo::run, "read", pinRoot.toString());
    assertEquals(0, read.status(), read.toString());
    assertTrue(read.out().matches("(?s).*\\nTCP +198\\.51\\.100\\.80:443 +192\\.0\\.2\\.10:51000 +40 +60560\\n.*"),
        "twice the single run's 20 packets: " + read);
  }

  @Test
  void readingBeforeAnyWriteSaysWhatToRunFirst() {
    Ran read = Ran.run(PinnedReuseDemo::run, "read", pinRoot.toString());
    assertEquals(1, read.status(), read.toString());
    assertTrue(read.err().contains("nothing is pinned at " + pinRoot.resolve("flows")), read.toString());
    assertTrue(read.err().contains("run 'PinnedReuseDemo write' first"), read.toString());
  }

  @Test
  void aPinThatIsNotTheFlowTableIsRefusedWithItsDifferences() throws IOException {
    Files.createDirectories(pinRoot);
    try (XdpStatsMap other = XdpStatsMap.create()) {
      other.pin(pinRoot.resolve("flows"));
    }
    Ran read = Ran.run(PinnedReuseDemo::run, "read", pinRoot.toString());
    assertEquals(1, read.status(), read.toString());
    assertTrue(read.err().startsWith("pinned read: "), read.toString());
    assertTrue(read.err().contains("type: expected HASH, found ARRAY"), read.toString());
    assertTrue(read.out().isEmpty(), "no table from the wrong map: " + read);
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Ran ran = Ran.run(PinnedReuseDemo::run, "erase", pinRoot.toString());
    assertEquals(2, ran.status(), ran.toString());
    assertTrue(ran.err().contains("unknown command 'erase': write, read or clean"), ran.toString());
    assertEquals(2, Ran.run(PinnedReuseDemo::run).status(), "no command at all");
  }

  /** {@code PinnedReuseDemo <command> <pinRoot>} in a new JVM on this test's classpath. */
  private Ran child(String command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PinnedReuseDemo.class.getName(), command, pinRoot.toString()));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    // The demo prints little, so reading the streams one after the other cannot fill a pipe.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " timed out");
    return new Ran(p.exitValue(), out, err);
  }

  private static String mapId(Ran ran) {
    Matcher m = MAP_ID.matcher(ran.out());
    assertTrue(m.find(), ran.toString());
    return m.group(1);
  }

  /** The printed table from its header line on. */
  private static List<String> table(Ran ran) {
    List<String> lines = ran.lines();
    int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("proto ")).findFirst().orElseThrow());
    return lines.subList(header, lines.size());
  }
}
