package io.github.bpfmaps.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpfmaps.annotations.metrics.Tag;
import org.junit.jupiter.api.Test;

/** Tag values as ebpf_exporter's decoders write them, without a kernel. */
class TagFormatsTest {
  @Test
  void ipv6IsWrittenInItsShortestForm() {
    byte[] loopback = new byte[16];
    loopback[15] = 1;
    assertEquals("::1", TagFormats.ip(loopback));
    byte[] doc = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
    assertEquals("2001:db8::1", TagFormats.ip(doc));
    assertEquals("192.0.2.7", TagFormats.ip(new byte[] {(byte) 192, 0, 2, 7}));
  }

  @Test
  void ipv4FromAHostOrderNumber() {
    assertEquals("10.0.0.1", TagFormats.number(0x0a000001, 4, false, Tag.Format.IPV4, new String[0]));
  }

  @Test
  void stringsStopAtNulAndEscapeWhatIsNotPrintable() {
    assertEquals("nginx", TagFormats.printable("nginx\0\0garbage"));
    assertEquals("a\\x01b\\x5c", TagFormats.printable("a\u0001b\\"));
    assertEquals("caf\\xc3\\xa9", TagFormats.printable("café"));
  }

  @Test
  void deviceNumbersAreMajorColonMinor() {
    assertEquals("8:0", TagFormats.majorMinor(8 << 8));
    assertEquals("259:1", TagFormats.majorMinor((259 << 8) | 1));
    assertEquals("8:256", TagFormats.majorMinor((8 << 8) | (256 << 12)));
  }

  @Test
  void unsignedNumbersAndStaticNames() {
    assertEquals("4294967295", TagFormats.number(-1, 4, false, Tag.Format.AUTO, new String[0]));
    assertEquals("-1", TagFormats.number(-1, 4, true, Tag.Format.AUTO, new String[0]));
    assertEquals("18446744073709551615", TagFormats.number(-1, 8, false, Tag.Format.NUMBER, new String[0]));
    assertEquals("write", TagFormats.number(1, 1, false, Tag.Format.AUTO, new String[] {"read", "write"}));
    assertEquals("7", TagFormats.number(7, 1, false, Tag.Format.AUTO, new String[] {"read", "write"}));
    assertEquals("0xff", TagFormats.number(255, 1, false, Tag.Format.HEX, new String[0]));
  }
}
