package io.github.bpfmaps.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.runtime.KernelTests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The consumer project of README.md's "Use it in your project", built and run by {@code
 * it/consumer.sh}: the README's install command into a private repository, a Java consumer
 * compiled on JDK 17 and on JDK 25 and run on both, a Kotlin (kapt) consumer, each reading a
 * typed map after an XDP test run. The script's own checks decide; this test runs it in the
 * suite (so {@code mvn verify}, the README's test command, covers it) and shows its output.
 */
class ConsumerProjectTest {
  private static final long TIMEOUT_MINUTES = 15;

  @Test
  void aProjectSetUpAsTheReadmeSaysBuildsAndRunsInJavaAndKotlin() throws IOException, InterruptedException {
    KernelTests.needBpf();
    Path jdk25 = Paths.get(System.getenv().getOrDefault("JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Assumptions.assumeTrue(Files.isExecutable(jdk25.resolve("bin/java")),
        "no JDK 25 at " + jdk25 + " (set JDK25): the consumer is built on JDK 17 and 25");
    Path script = Paths.get("consumer.sh").toAbsolutePath();
    assertTrue(Files.isRegularFile(script), script + " is missing");
    Path log = Files.createTempFile("bpfmaps-consumer", ".log");
    try {
      Process p = new ProcessBuilder("bash", script.toString())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      boolean done = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(out);
      assertTrue(done, "consumer.sh did not finish within " + TIMEOUT_MINUTES + " minutes:\n" + out);
      assertEquals(0, p.exitValue(), "consumer.sh failed:\n" + out);
      assertTrue(out.contains("consumer projects OK"), "consumer.sh did not report success:\n" + out);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
