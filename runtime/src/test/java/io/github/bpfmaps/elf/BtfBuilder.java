package io.github.bpfmaps.elf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes raw BTF by hand, for inputs clang does not produce (ENUM64 with clang 14, broken types). */
final class BtfBuilder {
  private final ByteArrayOutputStream types = new ByteArrayOutputStream();
  private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
  private int nextId = 1;

  BtfBuilder() {
    strings.write(0);
  }

  /** Adds a string and returns its offset. */
  int str(String s) {
    int off = strings.size();
    strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    strings.write(0);
    return off;
  }

  /** Starts a type; kind-specific data follows with {@link #u32}. Returns its id. */
  int type(String name, BtfKind kind, int vlen, boolean kindFlag, long sizeOrType) {
    u32(name.isEmpty() ? 0 : str(name));
    u32((kindFlag ? 0x80000000 : 0) | kind.ordinal() << 24 | vlen);
    u32((int) sizeOrType);
    return nextId++;
  }

  BtfBuilder u32(long v) {
    types.write((int) v);
    types.write((int) (v >>> 8));
    types.write((int) (v >>> 16));
    types.write((int) (v >>> 24));
    return this;
  }

  byte[] build() {
    byte[] t = types.toByteArray();
    byte[] s = strings.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] header = {0xeB9F | 1 << 16, 24, 0, t.length, t.length, s.length};
    for (int h : header) {
      out.write(h);
      out.write(h >>> 8);
      out.write(h >>> 16);
      out.write(h >>> 24);
    }
    out.writeBytes(t);
    out.writeBytes(s);
    return out.toByteArray();
  }
}
