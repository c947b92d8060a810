package io.github.bpfmaps.elf;

import io.github.bpfmaps.errors.BpfException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The values of {@code __kconfig} externs, as libbpf computes them: {@code CONFIG_*} from the
 * running kernel's configuration ({@code /proc/config.gz}, else {@code /boot/config-<release>}),
 * {@code LINUX_KERNEL_VERSION} from the release ({@code KERNEL_VERSION(a, b, c)}, c capped at 255),
 * encoded into the bytes of the {@code .kconfig} map. {@link #values} is pure; {@link #running()}
 * reads the files once per process.
 */
public final class Kconfig {
  private Kconfig() {}

  static final Path PROC_CONFIG = Path.of("/proc/config.gz");
  static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");

  private static volatile @Nullable Map<String, String> running;

  /**
   * The running kernel's configuration ({@code CONFIG_X} to its value as written: {@code y}, {@code
   * m}, a number or a quoted string; options that are not set are absent) plus {@code
   * LINUX_KERNEL_VERSION}. Read and cached on first use.
   *
   * @throws BpfException if no configuration can be found
   */
  public static Map<String, String> running() {
    Map<String, String> m = running;
    if (m == null) {
      String release = release();
      String text;
      Path boot = Path.of("/boot/config-" + release);
      try {
        if (Files.isReadable(PROC_CONFIG)) {
          try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(PROC_CONFIG)))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
        } else if (Files.isReadable(boot)) {
          text = Files.readString(boot, StandardCharsets.UTF_8);
        } else {
          text = null;
        }
      } catch (IOException e) {
        throw new BpfException("read kernel config", PROC_CONFIG.toString(), 0, "cannot read the kernel configuration: "
            + e, e);
      }
      m = new HashMap<>();
      if (text != null) {
        m.putAll(parse(text));
      } else {
        m.put(MISSING, PROC_CONFIG + " (CONFIG_IKCONFIG_PROC) and " + boot + " are both absent");
      }
      m.put("LINUX_KERNEL_VERSION", Long.toString(versionCode(release)));
      running = m;
    }
    return m;
  }

  /** Marks a configuration that could not be read; its value says why. */
  static final String MISSING = "";

  /** The running kernel's release, e.g. {@code 6.18.44-fc}. */
  public static String release() {
    try {
      return Files.readString(OSRELEASE, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new BpfException("read kernel release", OSRELEASE.toString(), 0, "cannot read " + OSRELEASE + ": " + e, e);
    }
  }

  /** {@code KERNEL_VERSION(a, b, c)} of a release string: {@code a << 16 | b << 8 | min(c, 255)}. */
  public static long versionCode(String release) {
    String[] parts = release.split("[^0-9]+", 4);
    long[] n = new long[3];
    for (int i = 0; i < 3 && i < parts.length; i++) {
      n[i] = parts[i].isEmpty() ? 0 : Long.parseLong(parts[i]);
    }
    return (n[0] << 16) + (n[1] << 8) + Math.min(n[2], 255);
  }

  /** {@code CONFIG_X=value} lines of a kernel config; comments and {@code # ... is not set} skipped. */
  public static Map<String, String> parse(String text) {
    Map<String, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (line.startsWith("CONFIG_") && eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    return out;
  }

  /**
   * The {@code .kconfig} map's bytes for these externs.
   *
   * @param externs the object's externs (only the {@link Extern.Kind#KCONFIG} ones are used)
   * @param size the map's value size
   * @param config option name to value, as {@link #running()} gives
   * @throws BpfException naming the extern when a value is missing for an extern that is not
   *     {@code __weak}, or does not fit the extern's type
   */
  public static byte[] values(List<Extern> externs, int size, Map<String, String> config, String file) {
    byte[] out = new byte[size];
    for (Extern e : externs) {
      if (e.kind() != Extern.Kind.KCONFIG) {
        continue;
      }
      String v = config.get(e.name());
      if (v == null) {
        if (!e.weak()) {
          String missing = config.get(MISSING);
          throw new BpfException("resolve extern", e.name(), 0, file + ": __kconfig extern '" + e.name()
              + "' is not set in the running kernel's configuration"
              + (missing != null ? " (" + missing + ")" : "") + "; declare it __weak to read 0 when it is absent");
        }
        continue; // __weak and absent: stays 0, as "n"
      }
      encode(e, v, out, file);
    }
    return out;
  }

  private static void encode(Extern e, String v, byte[] out, String file) {
    int at = e.offset();
    boolean yesNo = v.equals("y") || v.equals("n") || v.equals("m");
    switch (e.kconfigType()) {
      case BOOL:
        if (v.equals("m") || !yesNo) {
          throw bad(e, v, file, "a bool takes y or n");
        }
        out[at] = (byte) (v.equals("y") ? 1 : 0);
        return;
      case TRISTATE:
        if (!yesNo) {
          throw bad(e, v, file, "a tristate takes y, m or n");
        }
        putInt(out, at, 4, v.equals("y") ? 1 : v.equals("m") ? 2 : 0);
        return;
      case CHAR:
        if (!yesNo) {
          throw bad(e, v, file, "a char takes y, m or n");
        }
        out[at] = (byte) v.charAt(0);
        return;
      case CHAR_ARRAY:
        if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
          throw bad(e, v, file, "a char array takes a quoted string");
        }
        byte[] s = v.substring(1, v.length() - 1).getBytes(StandardCharsets.UTF_8);
        // cut to leave room for the NUL, as libbpf does (it warns)
        System.arraycopy(s, 0, out, at, Math.min(s.length, e.size() - 1));
        return;
      case INT:
        long n;
        try {
          if (yesNo) {
            throw bad(e, v, file, "y, m and n go to a bool, tristate or char, not an integer");
          }
          n = Long.decode(v);
        } catch (NumberFormatException ex) {
          throw bad(e, v, file, "an integer takes a number");
        }
        int bits = e.size() * 8;
        if (bits < 64 && (e.signed() ? n < -(1L << (bits - 1)) || n >= 1L << (bits - 1) : n < 0 || n >= 1L << bits)) {
          throw bad(e, v, file, "it does not fit " + e.size() + (e.signed() ? " signed" : " unsigned") + " bytes");
        }
        putInt(out, at, e.size(), n);
        return;
      default:
        throw bad(e, v, file, "its type is not a kconfig type");
    }
  }

  private static void putInt(byte[] out, int at, int size, long value) {
    for (int i = 0; i < size; i++) {
      out[at + i] = (byte) (value >>> (8 * i));
    }
  }

  private static BpfException bad(Extern e, String v, String file, String why) {
    return new BpfException("resolve extern", e.name(), 0, file + ": __kconfig extern '" + e.name() + "' ("
        + e.kconfigType() + ", " + e.size() + " bytes) cannot hold the kernel's value " + v + ": " + why);
  }
}
