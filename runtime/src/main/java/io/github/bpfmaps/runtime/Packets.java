package io.github.bpfmaps.runtime;

import java.nio.ByteBuffer;

/**
 * Ethernet II + IPv4 + UDP or TCP frames built byte by byte, the input of {@link
 * BpfProgram#testRun} ({@code BPF_PROG_TEST_RUN}) in tests of an XDP or socket program. Fields are
 * in network byte order as on the wire; the IPv4 header checksum is filled in. Pure: allocates the
 * frame, no system call.
 */
public final class Packets {
  /** IPv4 protocol number of TCP. */
  public static final int TCP = 6;
  /** IPv4 protocol number of UDP. */
  public static final int UDP = 17;
  /** EtherType of IPv4. */
  public static final int IPV4 = 0x0800;
  /** EtherType of ARP. */
  public static final int ARP = 0x0806;
  /** EtherType of IPv6. */
  public static final int IPV6 = 0x86dd;

  private static final int ETH = 14;
  private static final int IP = 20;

  private Packets() {}

  /** An IPv4 address {@code a.b.c.d} as the int whose big-endian bytes are a, b, c, d. */
  public static int ipv4(int a, int b, int c, int d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
  }

  /** The address of dotted-quad {@code text} ({@code 10.1.2.3}), most significant byte first. */
  public static int ipv4(String text) {
    String[] p = text.split("\\.");
    if (p.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    return ipv4(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
  }

  /** {@code address} (as {@link #ipv4} builds it) in dotted-quad notation: {@code "192.0.2.1"}. */
  public static String dotted(int address) {
    return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
  }

  /**
   * A frame of {@code frameLength} bytes (at least 14) with EtherType {@code etherType}, such as
   * {@link #ARP} or {@link #IPV6}, and a payload of zeros: enough for a program that looks no further
   * than the Ethernet header.
   */
  public static byte[] ethernet(int etherType, int frameLength) {
    if (frameLength < ETH) {
      throw new IllegalArgumentException("an Ethernet frame needs at least " + ETH + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(frameLength); // big-endian: network order
    b.put(0, new byte[] {2, 0, 0, 0, 0, 2}); // destination MAC (locally administered)
    b.put(6, new byte[] {2, 0, 0, 0, 0, 1}); // source MAC
    b.putShort(12, (short) etherType);
    return b.array();
  }

  /** A UDP datagram of {@code frameLength} bytes in all (at least 42), the payload zeros. */
  public static byte[] udp(int saddr, int daddr, int sport, int dport, int frameLength) {
    return frame(UDP, saddr, daddr, sport, dport, frameLength, 8);
  }

  /** A TCP segment (SYN) of {@code frameLength} bytes in all (at least 54), the payload zeros. */
  public static byte[] tcp(int saddr, int daddr, int sport, int dport, int frameLength) {
    return frame(TCP, saddr, daddr, sport, dport, frameLength, 20);
  }

  private static byte[] frame(int proto, int saddr, int daddr, int sport, int dport, int length, int l4) {
    if (length < ETH + IP + l4) {
      throw new IllegalArgumentException("a frame of this protocol needs at least " + (ETH + IP + l4) + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(ethernet(IPV4, length)); // big-endian: network order
    b.put(ETH, (byte) 0x45); // version 4, 5 words of header
    b.putShort(ETH + 2, (short) (length - ETH));
    b.put(ETH + 8, (byte) 64); // TTL
    b.put(ETH + 9, (byte) proto);
    b.putInt(ETH + 12, saddr);
    b.putInt(ETH + 16, daddr);
    b.putShort(ETH + 10, checksum(b, ETH, IP));
    int l4at = ETH + IP;
    b.putShort(l4at, (short) sport);
    b.putShort(l4at + 2, (short) dport);
    if (proto == UDP) {
      b.putShort(l4at + 4, (short) (length - l4at));
    } else {
      b.put(l4at + 12, (byte) 0x50); // data offset: 5 words
      b.put(l4at + 13, (byte) 0x02); // SYN
      b.putShort(l4at + 14, (short) 65535); // window
    }
    return b.array();
  }

  /** The Internet checksum (RFC 1071) of {@code length} bytes at {@code from}. */
  private static short checksum(ByteBuffer b, int from, int length) {
    int sum = 0;
    for (int i = 0; i < length; i += 2) {
      sum += b.getShort(from + i) & 0xffff;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (short) ~sum;
  }
}
