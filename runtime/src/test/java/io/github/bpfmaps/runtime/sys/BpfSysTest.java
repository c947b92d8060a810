package io.github.bpfmaps.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.NeedsBpf;
import io.github.bpfmaps.spec.ProgramInfo;
import org.junit.jupiter.api.Test;

@NeedsBpf
class BpfSysTest {
  static final int XDP = 6;
  static final int XDP_PASS = 2;

  @Test
  void handAssembledXdpProgramLoadsAndTestRunReturnsItsValue() {
    byte[] prog = new Asm().movImm(0, XDP_PASS).exit().bytes();
    int fd = BpfSys.progLoad(new ProgLoad().type(XDP).name("xdp-pass!").insns(prog));
    try {
      byte[] packet = new byte[64];
      packet[12] = 0x08;
      BpfSys.TestRun r = BpfSys.progTestRun(fd, packet, 64, 3);
      assertEquals(XDP_PASS, r.retval());
      assertArrayEquals(packet, r.dataOut());
      assertTrue(r.durationNs() >= 0);
      ProgramInfo info = BpfSys.progInfo(fd);
      assertEquals(XDP, info.type());
      assertEquals("xdp_pass_", info.name());
      assertEquals(16, info.tag().length());
      assertTrue(info.id() > 0);
    } finally {
      BpfSys.close(fd);
    }
  }

  @Test
  void logLevelOneKeepsTheVerifierLogOfASuccessfulLoad() {
    ProgLoad load = new ProgLoad().type(XDP).name("logged").insns(new Asm().movImm(0, XDP_PASS).exit().bytes()).logLevel(1);
    int fd = BpfSys.progLoad(load);
    BpfSys.close(fd);
    assertTrue(load.log().contains("processed 2 insns"), load.log());
  }

  @Test
  void refusedProgramCarriesTheVerifierLog() {
    byte[] noR0 = new Asm().exit().bytes(); // r0 never written
    BpfLoadException e = assertThrows(BpfLoadException.class,
        () -> BpfSys.progLoad(new ProgLoad().type(XDP).name("bad").insns(noR0)));
    assertEquals("BPF_PROG_LOAD", e.operation());
    assertEquals(Errno.EACCES, e.errno());
    assertTrue(e.log().contains("R0 !read_ok"), e.log());
    assertTrue(e.getMessage().contains("R0 !read_ok"), e.getMessage());
  }

  /** Raw BTF with one type, {@code int} ({@code Documentation/bpf/btf.rst}: header, types, strings). */
  static byte[] intBtf() {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(45).order(java.nio.ByteOrder.nativeOrder());
    b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24); // magic, version, flags, hdr_len
    b.putInt(0).putInt(16).putInt(16).putInt(5); // type_off, type_len, str_off, str_len
    b.putInt(1).putInt(1 << 24).putInt(4); // name "int", BTF_KIND_INT, size 4
    b.putInt((1 << 24) | 32); // BTF_INT_SIGNED, offset 0, 32 bits
    b.put(new byte[] {0, 'i', 'n', 't', 0});
    return b.array();
  }

  @Test
  void validBtfLoadsAndGivesAnFd() {
    int fd = BpfSys.btfLoad(intBtf(), "int-only");
    assertTrue(fd > 0);
    BpfSys.close(fd);
  }

  @Test
  void refusedBtfCarriesTheCheckersLog() {
    byte[] bad = intBtf();
    bad[24 + 4] = 0x7f; // info.vlen (low bits, little-endian): an INT must have none
    BpfLoadException e = assertThrows(BpfLoadException.class, () -> BpfSys.btfLoad(bad, "bad-kind"));
    assertEquals(Errno.EINVAL, e.errno());
    assertTrue(!e.log().isEmpty(), "the kernel's BTF log explains the refusal");
  }

  @Test
  void btfLoadRefusesGarbageWithLog() {
    BpfLoadException e = assertThrows(BpfLoadException.class,
        () -> BpfSys.btfLoad(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}, "junk"));
    assertEquals("BPF_BTF_LOAD", e.operation());
    assertTrue(e.errno() > 0);
  }

  @Test
  void mapGetFdByUnknownIdIsNotFound() {
    BpfNotFoundException e = assertThrows(BpfNotFoundException.class, () -> BpfSys.mapGetFdById(Integer.MAX_VALUE));
    assertTrue(e.getMessage().startsWith("BPF_MAP_GET_FD_BY_ID on 'id 2147483647': ENOENT"), e.getMessage());
  }

  @Test
  void objNameKeepsTheKernelsCharactersAndFifteenBytes() {
    assertEquals("a_b.c_d", BpfSys.objName("a-b.c d"));
    assertEquals("abcdefghijklmno", BpfSys.objName("abcdefghijklmnopqrstuvwxyz"));
  }

  @Test
  void errnoTableNamesAndExplains() {
    assertEquals("EPERM", Errno.name(1));
    assertTrue(Errno.describe(Errno.EPERM).contains("CAP_BPF"));
    assertEquals("ENOTSUPP", Errno.name(524));
    assertEquals("errno 9999", Errno.name(9999));
  }

  @Test
  void syscallNumberPerArchitecture() {
    assertEquals(321, BpfSys.nrBpf("amd64"));
    assertEquals(280, BpfSys.nrBpf("aarch64"));
  }
}
