package io.github.bpfmaps.runtime.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpfmaps.annotations.MapType;
import io.github.bpfmaps.elf.TestObjects;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfLoadException;
import io.github.bpfmaps.errors.BpfPermissionException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Capabilities;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.Codecs;
import io.github.bpfmaps.runtime.KernelTests;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.maps.BpfHashMap;
import io.github.bpfmaps.runtime.maps.BpfRingBuf;
import io.github.bpfmaps.runtime.sys.Asm;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.ProgLoad;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An exception's type and message come from what actually failed (the call, the kernel's log),
 * not from a table keyed by the errno (issue 18, class 6; issue 17, item 2).
 */
class ErrorClassificationTest {
  private static final int XDP = 6;
  private static final int RLIMIT_NOFILE = 7;

  @BeforeEach
  void needBpf() {
    KernelTests.needBpf();
  }

  /**
   * Runs {@code action} with this process's fd table full: the soft RLIMIT_NOFILE lowered to the
   * lowest free fd number, so the next fd any call allocates fails with EMFILE. Restored at once
   * ({@code prlimit64} on ourselves: no fd needed to undo it). A Cleaner closing a lower fd in the
   * meantime would let one allocation through, so the caller retries.
   */
  private static <T> T withFullFdTable(Supplier<T> action) {
    // Load what the failure paths use while class files can still be opened.
    for (int errno : new int[] {Errno.EMFILE, Errno.EPERM, Errno.ENOENT, Errno.EEXIST, Errno.E2BIG}) {
      BpfSys.loadError("BPF_PROG_LOAD", "warm", errno, "").getMessage();
      BpfSyscallException.of("BPF_MAP_UPDATE_ELEM", "warm", errno, null).getMessage();
    }
    long nr = System.getProperty("os.arch").contains("aarch64") ? 261 : 302; // __NR_prlimit64
    ByteBuffer old = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    ByteBuffer lowered = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    LibC.syscall(nr, 0, RLIMIT_NOFILE, 0, Scratch.address(old), 0);
    lowered.putLong(0, lowestFreeFd()).putLong(8, old.getLong(8));
    LibC.syscall(nr, 0, RLIMIT_NOFILE, Scratch.address(lowered), 0, 0);
    try {
      return action.get();
    } finally {
      LibC.syscall(nr, 0, RLIMIT_NOFILE, Scratch.address(old), 0, 0);
    }
  }

  private static int lowestFreeFd() {
    Set<Integer> open;
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      // without the fd of this listing itself, which is closed (and free) once it is done
      open = s.filter(p -> !isFdDirectory(p))
          .map(p -> Integer.parseInt(p.getFileName().toString())).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int fd = 0;
    while (open.contains(fd)) {
      fd++;
    }
    return fd;
  }

  private static boolean isFdDirectory(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString().matches("/proc/\\d+/fd");
    } catch (IOException e) {
      return true; // gone already: it was the listing's
    }
  }

  /** The first of three tries that throws (see {@link #withFullFdTable}). */
  private static BpfException failureWithFullFdTable(Runnable action) {
    for (int attempt = 0; attempt < 3; attempt++) {
      BpfException e = withFullFdTable(() -> {
        try {
          action.run();
          return null;
        } catch (BpfException ex) {
          return ex;
        }
      });
      if (e != null) {
        return e;
      }
    }
    throw new AssertionError("no EMFILE in three tries with a full fd table");
  }

  @Test
  void programLoadFailingWithEmfileIsAnFdErrorNotAVerifierRefusal() {
    byte[] pass = new Asm().movImm(0, 2).exit().bytes();
    BpfSys.close(BpfSys.progLoad(new ProgLoad().type(XDP).name("warm").insns(pass))); // classes loaded
    BpfException e = failureWithFullFdTable(() -> {
      int fd = BpfSys.progLoad(new ProgLoad().type(XDP).name("emfile").insns(pass));
      BpfSys.close(fd); // a Cleaner freed a low fd in between: try again
    });
    assertFalse(e instanceof BpfLoadException, "a full fd table is not a verifier refusal: " + e);
    assertTrue(e instanceof BpfSyscallException, e.toString());
    assertEquals(Errno.EMFILE, e.errno());
    assertTrue(e.getMessage().contains("EMFILE: too many open files"), e.getMessage());
    assertTrue(e.getMessage().contains("no fd left for the new program"), e.getMessage());
    assertFalse(e.getMessage().contains("verifier"), e.getMessage());
  }

  @Test
  void ringBufferEpollFailureNamesEpollCreate1NotMmap() {
    MapSpec spec = MapSpec.of("ring_emfile", MapType.RINGBUF, 0, 0, 4096, 0);
    try (MapFd fd = MapFd.create(spec)) {
      new BpfRingBuf<>(fd.dup(), spec, Codecs.U64).close(); // load its classes while jars can open
      List<MapFd> dups = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        dups.add(fd.dup());
      }
      Set<String> before = KernelTests.runtimeFds();
      MapFd[] given = new MapFd[1];
      BpfException e = failureWithFullFdTable(() -> {
        given[0] = dups.remove(0);
        new BpfRingBuf<>(given[0], spec, Codecs.U64).close();
      });
      assertEquals(Set.of(), KernelTests.newFdsSince(before), "nothing left open by the failed open");
      assertTrue(given[0].isClosed(), "the ring closes the fd it was given when it cannot open");
      dups.forEach(MapFd::close);
      assertEquals(Errno.EMFILE, e.errno());
      assertTrue(e.getMessage().startsWith("epoll_create1 on 'ring_emfile'"), e.getMessage());
      assertFalse(e.getMessage().startsWith("mmap"), e.getMessage());
    }
  }

  @Test
  void verifierRefusalAsRootLeadsWithTheVerdictAndSuggestsNoCapability() {
    assumeTrue(Capabilities.canLoadBpf(), "the process lacks CAP_BPF: a capability hint is right then");
    Path dir = KernelTests.pinDir();
    try {
      BpfLoadException e = assertThrows(BpfLoadException.class,
          () -> BpfObject.load(TestObjects.testObject("verifier_reject"), o -> o.pinRoot(dir)));
      String m = e.getMessage();
      String first = m.lines().findFirst().orElseThrow();
      assertTrue(first.contains("xdp_unchecked"), first);
      assertTrue(first.contains("verifier refused the program: R0 invalid mem access 'map_value_or_null'"), first);
      assertTrue(m.contains("\n  at instruction 7: r1 = *(u64 *)(r0 +0)"), m);
      assertTrue(m.contains("\n  source verifier_reject.bpf.c:44: return *v ? XDP_PASS : XDP_DROP;"), m);
      assertTrue(m.contains("EACCES (permission denied) is the kernel's answer for this refusal"), m);
      assertFalse(m.contains("run as root"), m);
      assertFalse(m.contains("CAP_BPF"), m);
      assertFalse(m.contains(" | "), "the log's lines stay lines: " + m);
      assertTrue(m.contains("\nverifier log ends:\n"), m);
      assertTrue(e.verifierLog().contains("map_value_or_null"), e.verifierLog());
      assertEquals(e.verifierLog(), e.log());
    } finally {
      KernelTests.deleteTree(dir);
    }
  }

  @Test
  void writeToAFrozenMapSaysTheMapIsFrozenNotRunAsRoot() {
    MapSpec spec = MapSpec.of("frozen_rel", MapType.HASH, 4, 8, 4, 0);
    try (var m = new BpfHashMap<>(MapFd.create(spec), spec, Codecs.U32, Codecs.U64)) {
      m.set(1, 5L);
      m.freeze();
      BpfPermissionException e = assertThrows(BpfPermissionException.class, () -> m.set(1, 6L));
      assertTrue(e.getMessage().contains("EPERM: the map is frozen (BPF_MAP_FREEZE)"), e.getMessage());
      assertFalse(e.getMessage().contains("run as root"), e.getMessage());
      e = assertThrows(BpfPermissionException.class, () -> m.remove(1));
      assertTrue(e.getMessage().contains("frozen"), e.getMessage());
      assertEquals(5L, m.get(1));
    }
  }

  @Test
  void permissionErrorsAsRootNeverSuggestRunningAsRoot() {
    assumeTrue(Capabilities.hasEveryBpfCapability(), "not root: the capability hint is right then");
    BpfSyscallException e = BpfSyscallException.of("BPF_MAP_UPDATE_ELEM", "m", Errno.EPERM, null);
    assertFalse(e.getMessage().contains("run as root"), e.getMessage());
    assertTrue(e.getMessage().contains("not a missing capability"), e.getMessage());
  }

  @Test
  void capabilityIsSuggestedWhenTheLogSaysTheRefusalIsAboutPrivilege() {
    String log = "0: R1=ctx() R10=fp0\n"
        + "; return p + 1; @ x.bpf.c:7\n"
        + "3: (0f) r1 += r2\n"
        + "R1 pointer arithmetic on map_ptr prohibited for !root\n"
        + "processed 4 insns (limit 1000000) max_states_per_insn 0 total_states 0\n";
    BpfLoadException e = new BpfLoadException("BPF_PROG_LOAD", "p", Errno.EACCES, log);
    String first = e.getMessage().lines().findFirst().orElseThrow();
    assertTrue(first.endsWith("R1 pointer arithmetic on map_ptr prohibited for !root"), first);
    assertTrue(e.getMessage().contains("source x.bpf.c:7: return p + 1;"), e.getMessage());
    assertTrue(e.getMessage().contains("CAP_BPF"), e.getMessage());
  }

  @Test
  void loadFailureWhoseLogHasNoVerdictIsNotAVerifierRefusal() {
    BpfSyscallException e = BpfSys.loadError("BPF_PROG_LOAD", "p", Errno.ENOMEM,
        "processed 2 insns (limit 1000000) max_states_per_insn 0\n");
    assertFalse(e instanceof BpfLoadException, e.toString());
    assertEquals(Errno.ENOMEM, e.errno());
  }
}
