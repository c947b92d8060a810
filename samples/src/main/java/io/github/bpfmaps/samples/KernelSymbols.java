package io.github.bpfmaps.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's symbols from {@code /proc/kallsyms} (address, type, name; addresses read as zero
 * unless {@code kptr_restrict} allows this process to see them), sorted by address to name an
 * instruction pointer {@code function+0xoffset}.
 */
final class KernelSymbols {
  private final long[] addresses;
  private final String[] names;

  private KernelSymbols(long[] addresses, String[] names) {
    this.addresses = addresses;
    this.names = names;
  }

  /** Reads and sorts {@code /proc/kallsyms} (about 200,000 lines: a few hundred ms). */
  static KernelSymbols load() {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/kallsyms"));
    } catch (IOException e) {
      return new KernelSymbols(new long[0], new String[0]);
    }
    record Sym(long address, String name) {}
    Sym[] syms = lines.stream().map(l -> l.split("\\s+")).filter(f -> f.length >= 3)
        .filter(f -> "tTwW".indexOf(f[1].charAt(0)) >= 0) // text symbols only
        .map(f -> new Sym(Long.parseUnsignedLong(f[0], 16), f[2])).filter(s -> s.address() != 0)
        .sorted((a, b) -> Long.compareUnsigned(a.address(), b.address())).toArray(Sym[]::new);
    long[] a = new long[syms.length];
    String[] n = new String[syms.length];
    for (int i = 0; i < syms.length; i++) {
      a[i] = syms[i].address();
      n[i] = syms[i].name();
    }
    return new KernelSymbols(a, n);
  }

  /** How many symbols were read; 0 when the addresses are hidden. */
  int size() {
    return addresses.length;
  }

  /** {@code function+0xoffset} for {@code ip}, or its hex address when no symbol precedes it. */
  String name(long ip) {
    int i = Arrays.binarySearch(addresses, ip); // kernel addresses are all in the upper half: same sign
    if (i < 0) {
      i = -i - 2;
    }
    if (i < 0) {
      return String.format(Locale.ROOT, "0x%x", ip);
    }
    return names[i] + "+0x" + Long.toHexString(ip - addresses[i]);
  }
}
