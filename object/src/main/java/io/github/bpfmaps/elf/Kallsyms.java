package io.github.bpfmaps.elf;

import io.github.bpfmaps.errors.BpfException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Kernel symbol addresses from {@code /proc/kallsyms}, for typeless {@code __ksym} externs. One pass
 * over the file (a few MiB) per call, keeping only the names asked for; the kernel shows every
 * address as 0 to a reader without CAP_SYSLOG ({@code kernel.kptr_restrict}).
 */
public final class Kallsyms {
  private Kallsyms() {}

  /** The file read. */
  public static final Path FILE = Path.of("/proc/kallsyms");

  /**
   * The address of each of {@code names} that the kernel lists (the first listing of a name wins,
   * as in libbpf); names it does not list are absent from the result.
   *
   * @throws BpfException if the file cannot be read
   */
  public static Map<String, Long> addresses(Set<String> names) {
    Map<String, Long> out = new HashMap<>();
    if (names.isEmpty()) {
      return out;
    }
    try (BufferedReader in = Files.newBufferedReader(FILE, StandardCharsets.US_ASCII)) {
      String line;
      while ((line = in.readLine()) != null && out.size() < names.size()) {
        // "ffffffff81000000 T _text" or "... t name\t[module]"
        int a = line.indexOf(' ');
        int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
        if (b < 0) {
          continue;
        }
        int end = line.indexOf('\t', b + 1);
        String name = end < 0 ? line.substring(b + 1) : line.substring(b + 1, end);
        if (names.contains(name) && !out.containsKey(name)) {
          out.put(name, Long.parseUnsignedLong(line.substring(0, a), 16));
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new BpfException("read kernel symbols", FILE.toString(), 0, "cannot read " + FILE + ": " + e, e);
    }
    return out;
  }
}
