package io.github.bpfmaps.bench;

import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfKeyedMap;
import io.github.bpfmaps.spec.MapInfo;
import io.github.bpfmaps.spec.MapSpec;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code bpftool map dump} in Java, for the whole-process comparison of {@code bench.sh}: opens a
 * map by id and prints every entry as raw bytes in bpftool's plain format, or with {@code --json}
 * in the format of {@code bpftool -j map dump} (maps without BTF). Entries are read with batch
 * lookups ({@link BpfKeyedMap#forEachEntry}); bpftool takes a next-key and a lookup per entry.
 *
 * <pre>java -cp ... io.github.bpfmaps.bench.Dump --id 42 [--json]</pre>
 *
 * Keyed maps that are not per-CPU only (hash, array and LRU families, LPM tries).
 */
public final class Dump {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final Out out;
  private final int keySize;
  private final int valueSize;
  private final boolean json;
  private long count;

  private Dump(Out out, int keySize, int valueSize, boolean json) {
    this.out = out;
    this.keySize = keySize;
    this.valueSize = valueSize;
    this.json = json;
  }

  public static void main(String[] args) {
    int id = -1;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--id" -> id = Integer.parseInt(args[++i]);
        case "--json", "-j" -> json = true;
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (id < 0) {
      usage("--id is required");
    }
    try {
      System.exit(dump(id, json, new FileOutputStream(FileDescriptor.out)));
    } catch (BpfException e) {
      System.err.println("dump: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void usage(String why) {
    System.err.println("dump: " + why + "\nusage: Dump --id N [--json]");
    System.exit(2);
  }

  /** Dumps map {@code id} to {@code stream}; returns the exit status. */
  static int dump(int id, boolean json, OutputStream stream) {
    MapFd fd = MapFd.fromId(id);
    MapInfo info = fd.info();
    if (info.type() == null || info.type().perCpu() || info.keySize() == 0) {
      fd.close();
      System.err.println("dump: map " + id + " is " + info.type() + "; only keyed maps that are not per-CPU are dumped");
      return 2;
    }
    MapSpec spec = MapSpec.of(info.name(), info.type(), info.keySize(), info.valueSize(), info.maxEntries(),
        info.flags());
    Out out = new Out(stream);
    Dump d = new Dump(out, info.keySize(), info.valueSize(), json);
    try (var map = new BpfKeyedMap<>(fd, spec, Codecs.bytes(info.keySize()), Codecs.bytes(info.valueSize()))) {
      if (json) {
        out.ascii("[");
      }
      map.forEachEntry(d::entry);
      if (json) {
        out.ascii("]\n");
      } else {
        out.ascii("Found " + d.count + " element" + (d.count == 1 ? "" : "s") + "\n");
      }
    }
    out.flush();
    return 0;
  }

  private void entry(byte[] key, byte[] value) {
    if (json) {
      out.ascii(count == 0 ? "{\"key\":[" : ",{\"key\":[");
      jsonBytes(key);
      out.ascii("],\"value\":[");
      jsonBytes(value);
      out.ascii("]}");
    } else {
      // bpftool's print_entry_plain (tools/bpf/bpftool/map.c): names on their own lines when a
      // part is longer than 16 bytes, one line when both fit in 24.
      boolean breakNames = keySize > 16 || valueSize > 16;
      boolean singleLine = keySize + valueSize <= 24 && !breakNames;
      out.ascii(breakNames ? "key:\n" : "key: ");
      plainBytes(key);
      out.ascii(singleLine ? "  " : "\n");
      out.ascii(breakNames ? "value:\n" : "value: ");
      plainBytes(value);
      out.ascii("\n");
    }
    count++;
  }

  /** bpftool's {@code fprint_hex}: "%02x" separated by a space, two after every 8th, a newline after every 16th. */
  private void plainBytes(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (i > 0) {
        if (i % 16 == 0) {
          out.put((byte) '\n');
        } else if (i % 8 == 0) {
          out.put((byte) ' ');
          out.put((byte) ' ');
        } else {
          out.put((byte) ' ');
        }
      }
      out.put(HEX[(b[i] >> 4) & 0xf]);
      out.put(HEX[b[i] & 0xf]);
    }
  }

  /** {@code "0x2a","0x00",...} as bpftool's JSON writer prints a byte array. */
  private void jsonBytes(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (i > 0) {
        out.put((byte) ',');
      }
      out.put((byte) '"');
      out.put((byte) '0');
      out.put((byte) 'x');
      out.put(HEX[(b[i] >> 4) & 0xf]);
      out.put(HEX[b[i] & 0xf]);
      out.put((byte) '"');
    }
  }

  /** A plain byte buffer in front of stdout: one write(2) per 1 MiB. */
  private static final class Out {
    private final OutputStream stream;
    private final byte[] buf = new byte[1 << 20];
    private int n;

    Out(OutputStream stream) {
      this.stream = stream;
    }

    void put(byte b) {
      if (n == buf.length) {
        flush();
      }
      buf[n++] = b;
    }

    void ascii(String s) {
      for (int i = 0; i < s.length(); i++) {
        put((byte) s.charAt(i));
      }
    }

    void flush() {
      try {
        stream.write(buf, 0, n);
        stream.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      n = 0;
    }
  }
}
