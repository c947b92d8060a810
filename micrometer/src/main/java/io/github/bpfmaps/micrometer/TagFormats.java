package io.github.bpfmaps.micrometer;

import io.github.bpfmaps.annotations.metrics.Tag;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** How a key component's value becomes a tag value; pure functions, no kernel. */
final class TagFormats {
  private TagFormats() {}

  /** The text of an IPv4 address held in the low 32 bits, most significant byte first. */
  static String ipv4(long v) {
    return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
  }

  /** An address of 4 or 16 bytes, as {@link InetAddress} writes it (IPv6 compressed, RFC 5952). */
  static String ip(byte[] b) {
    if (b.length != 4 && b.length != 16) {
      return hex(b);
    }
    try {
      String s = InetAddress.getByAddress(b).getHostAddress();
      return b.length == 16 ? compressIpv6(s) : s;
    } catch (UnknownHostException e) {
      return hex(b); // cannot happen for 4 or 16 bytes
    }
  }

  /**
   * {@link InetAddress} writes {@code 0:0:0:0:0:0:0:1}; people and Prometheus queries expect the
   * RFC 5952 form {@code ::1}: the longest run of two or more zero groups becomes {@code ::}.
   */
  static String compressIpv6(String full) {
    String[] g = full.split(":", -1);
    int bestAt = -1;
    int bestLen = 1;
    for (int i = 0; i < g.length; ) {
      if (!g[i].equals("0")) {
        i++;
        continue;
      }
      int j = i;
      while (j < g.length && g[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen) {
        bestAt = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestAt < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestAt));
    String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestAt + bestLen, g.length));
    return head + "::" + tail;
  }

  /** {@code 0x} and lowercase hex digits of the bytes in order. */
  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(2 + 2 * b.length).append("0x");
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  /**
   * A C string as a tag value: up to the first NUL, printable ASCII kept, everything else (control
   * characters, bytes of invalid or non-ASCII UTF-8) written as {@code \xNN}, so a tag value is
   * always valid text and a hostile {@code comm} cannot forge label syntax.
   */
  static String printable(String s) {
    int nul = s.indexOf('\0');
    if (nul >= 0) {
      s = s.substring(0, nul);
    }
    boolean clean = true;
    for (int i = 0; i < s.length() && clean; i++) {
      char c = s.charAt(i);
      clean = c >= 0x20 && c < 0x7f && c != '\\';
    }
    if (clean) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format(Locale.ROOT, "\\x%02x", c));
      }
    }
    return sb.toString();
  }

  /** Linux's {@code new_encode_dev}: major in bits 8-19, minor in bits 0-7 and 20-31. */
  static String majorMinor(long dev) {
    long major = (dev & 0xfff00) >>> 8;
    long minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
    return major + ":" + minor;
  }

  /**
   * Formats a number read from a key: {@code bits} is the value (sign-extended when {@code
   * signed}), {@code width} its size in bytes.
   */
  static String number(long bits, int width, boolean signed, Tag.Format format, String[] names) {
    long v = signed ? bits : (width >= 8 ? bits : bits & ((1L << (8 * width)) - 1));
    if (names.length > 0 && v >= 0 && v < names.length) {
      return names[(int) v];
    }
    switch (format) {
      case HEX:
        return "0x" + Long.toHexString(v);
      case IPV4:
        return ipv4(v);
      case MAJOR_MINOR:
        return majorMinor(v);
      default:
        return signed || width < 8 ? Long.toString(v) : Long.toUnsignedString(v);
    }
  }
}
