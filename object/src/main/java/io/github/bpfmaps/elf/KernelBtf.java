package io.github.bpfmaps.elf;

import io.github.bpfmaps.errors.BpfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The running kernel's own BTF, read from {@code /sys/kernel/btf}: {@code vmlinux} (several MiB,
 * over 100,000 types) and one split BTF per module that has it. Each is read and parsed at most once
 * per process, on first use, and then shared: resolving the attach targets and externs of every
 * object a process loads costs one parse, then hash lookups. Reads files only; no system calls of
 * {@code bpf(2)}.
 */
public final class KernelBtf {
  private KernelBtf() {}

  /** Where the kernel publishes its BTF ({@code CONFIG_DEBUG_INFO_BTF}). */
  public static final Path DIR = Path.of("/sys/kernel/btf");

  private static final Object VMLINUX_LOCK = new Object();
  private static volatile @Nullable Btf vmlinux;
  private static final Map<String, Btf> MODULES = new ConcurrentHashMap<>();

  /**
   * The kernel's BTF, parsed on the first call (2–3 s with a cold JVM on a small VM for 5 MiB and
   * 126k types) and cached for the life of the process.
   *
   * @throws BpfException if {@code /sys/kernel/btf/vmlinux} is absent (a kernel built without
   *     {@code CONFIG_DEBUG_INFO_BTF}) or unreadable
   */
  public static Btf vmlinux() {
    Btf b = vmlinux;
    if (b == null) {
      synchronized (VMLINUX_LOCK) {
        b = vmlinux;
        if (b == null) {
          b = Btf.parse(read(DIR.resolve("vmlinux"), "vmlinux"), DIR.resolve("vmlinux").toString());
          vmlinux = b;
        }
      }
    }
    return b;
  }

  /** The modules with BTF of their own ({@code /sys/kernel/btf/*} except {@code vmlinux}), sorted. */
  public static List<String> modules() {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(DIR)) {
      s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("vmlinux")).sorted().forEach(out::add);
    } catch (IOException e) {
      return List.of(); // no BTF directory: no module BTF either
    }
    return out;
  }

  /**
   * A module's BTF, split on top of {@link #vmlinux()}: its type ids continue vmlinux's, and it finds
   * vmlinux's types too. Parsed once per module and cached.
   *
   * @throws BpfException if the module has no BTF (not loaded, or built without it)
   */
  public static Btf module(String name) {
    Btf b = MODULES.get(name);
    if (b == null) {
      if (name.isEmpty() || name.contains("/") || name.equals("vmlinux")) {
        throw new BpfException("read kernel BTF", name, 0, "'" + name + "' is not a kernel module name");
      }
      Path p = DIR.resolve(name);
      b = Btf.parseSplit(read(p, name), p.toString(), vmlinux());
      Btf raced = MODULES.putIfAbsent(name, b);
      if (raced != null) {
        b = raced;
      }
    }
    return b;
  }

  private static byte[] read(Path p, String what) {
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new BpfException("read kernel BTF", what, 0, p + " does not exist: "
          + (what.equals("vmlinux") ? "the kernel was built without CONFIG_DEBUG_INFO_BTF, so it cannot"
              + " resolve BTF attach targets or typed externs"
              : "module '" + what + "' is not loaded or has no BTF"), e);
    } catch (IOException e) {
      throw new BpfException("read kernel BTF", what, 0, "cannot read " + p + ": " + e, e);
    }
  }
}
