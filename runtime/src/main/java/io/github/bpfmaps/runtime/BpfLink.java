package io.github.bpfmaps.runtime;

import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfKeyExistsException;
import io.github.bpfmaps.errors.BpfNotFoundException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.maps.BpfMaps;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.LinkSys;
import io.github.bpfmaps.runtime.sys.RefCount;
import io.github.bpfmaps.spec.AttachType;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A program attached to a hook through a BPF link (an interface's XDP or tcx hook, a tracepoint, a
 * perf event, a cgroup...). The attachment lasts as long as the link: {@link #close()} detaches the
 * program unless the link is {@linkplain #pin pinned}, in which case it stays attached, without this
 * process, until the pin is removed. A process that dies, even by SIGKILL, closes its fds, so an
 * unpinned link never outlives it. A {@link Cleaner} closes the link of an unreachable handle.
 *
 * <p>Links made through a perf event (tracepoints, kprobes, uprobes, sampling events) also hold the
 * perf event's fd, closed with the link.
 *
 * <p>Thread-safe.
 */
public final class BpfLink implements AutoCloseable {
  private final Fds fds;
  private final Cleaner.Cleanable cleanable;
  private final String program;
  private final String hook;
  private final @Nullable XdpMode xdpMode;
  private volatile @Nullable Path pinnedAt;

  /** The link fd and, for perf event links, the perf event fd: closed together, exactly once. */
  private static final class Fds extends RefCount {
    final int fd;
    final int perfFd;

    Fds(int fd, int perfFd) {
      this.fd = fd;
      this.perfFd = perfFd;
    }

    @Override
    protected void free() {
      closeQuietly(fd);
      if (perfFd >= 0) {
        closeQuietly(perfFd);
      }
    }
  }

  static void closeQuietly(int fd) {
    try {
      LibC.close(fd);
    } catch (RuntimeException e) {
      // close(2) releases the number even when it reports an error; nothing to retry.
    }
  }

  /** Takes ownership of {@code fd} (and {@code perfFd} unless it is -1). */
  BpfLink(int fd, int perfFd, String program, String hook, @Nullable XdpMode xdpMode, @Nullable Path pinnedAt) {
    this.fds = new Fds(fd, perfFd);
    this.cleanable = RefCount.CLEANER.register(this, fds);
    this.program = program;
    this.hook = hook;
    this.xdpMode = xdpMode;
    this.pinnedAt = pinnedAt;
  }

  /**
   * Opens the link pinned at {@code path} ({@code BPF_OBJ_GET}: one system call), for example to
   * {@link #unpin()} or {@link #update} a link an earlier process left attached. Closing the handle
   * leaves the link attached while the pin exists.
   *
   * @throws BpfNotFoundException if nothing is pinned at {@code path}
   * @throws BpfException if what is pinned there is a map or a program, not a link
   */
  public static BpfLink openPinned(Path path) {
    int fd = BpfSys.objGet(path.toString(), 0);
    String kind = LinkSys.fdKind(fd);
    if (!"bpf-link".equals(kind)) {
      closeQuietly(fd);
      throw new BpfException("BPF_OBJ_GET", path.toString(), 0, "'" + path + "' holds a "
          + kind.replace("bpf-", "BPF ") + ", not a BPF link; open maps with BpfMaps/MapFd and programs"
          + " through their object");
    }
    try {
      LinkSys.RawLinkInfo raw = LinkSys.linkInfo(fd, path.toString());
      return new BpfLink(fd, -1, "prog id " + raw.u32(8),
          LinkType.fromId(raw.u32(0)) + " link id " + raw.u32(4) + " pinned at " + path, null, path);
    } catch (RuntimeException e) {
      closeQuietly(fd);
      throw e;
    }
  }

  private int acquire() {
    fds.acquire("use", hook);
    return fds.fd;
  }

  private void release() {
    fds.release();
  }

  /** The hook this link attaches to, as messages name it: {@code xdp on veth0 (ifindex 7)}. */
  public String hook() {
    return hook;
  }

  /** The name of the program attached when this handle made the link (as given by the attach call). */
  public String program() {
    return program;
  }

  /**
   * For an XDP link, the mode the program runs in (the one asked for, or the one the default
   * attachment got: {@link XdpMode#DRIVER} when the driver supports XDP, else {@link
   * XdpMode#GENERIC}); null for other links.
   */
  public @Nullable XdpMode xdpMode() {
    return xdpMode;
  }

  /**
   * What the kernel says about the link ({@code BPF_OBJ_GET_INFO_BY_FD}: one system call, two for a
   * raw tracepoint link, whose name comes back through a buffer).
   *
   * @throws BpfClosedException if the link was closed
   */
  public LinkInfo info() {
    int fd = acquire();
    try {
      LinkSys.RawLinkInfo raw = LinkSys.linkInfo(fd, hook);
      LinkType type = LinkType.fromId(raw.u32(0));
      AttachType attach = null;
      int ifindex = 0;
      long cgroupId = 0;
      int targetObj = 0;
      int targetBtf = 0;
      // The per-type members of struct bpf_link_info's union, which starts at 16.
      switch (type) {
        case TRACING:
          attach = AttachType.fromId(raw.u32(16));
          targetObj = raw.u32(20);
          targetBtf = raw.u32(24);
          break;
        case CGROUP:
          cgroupId = raw.u64(16);
          attach = AttachType.fromId(raw.u32(24));
          break;
        case NETNS:
          attach = AttachType.fromId(raw.u32(20));
          break;
        case XDP:
          ifindex = raw.u32(16);
          attach = AttachType.XDP;
          break;
        case TCX:
        case NETKIT:
          ifindex = raw.u32(16);
          attach = AttachType.fromId(raw.u32(20));
          break;
        default:
          break;
      }
      return new LinkInfo(raw.u32(4), type, raw.u32(8), attach, ifindex, cgroupId, raw.tpName(), targetObj, targetBtf);
    } finally {
      release();
    }
  }

  /** The link's system-wide id, as {@code bpftool link show} lists it (one system call). */
  public int id() {
    return info().id();
  }

  /**
   * Makes the link run {@code program} instead of the one it runs, atomically: the hook never sees
   * neither program, so no packet or event goes unprocessed ({@code BPF_LINK_UPDATE}: one system
   * call). The kernel allows this for XDP, tcx, cgroup, netns and struct_ops links; not for
   * tracepoint, raw tracepoint, tracing or perf event links, where it says EOPNOTSUPP or EINVAL:
   * attach the new program and close the old link instead.
   *
   * @throws BpfSyscallException EINVAL if the new program's type or expected attach type differs
   *     from the old one's, EOPNOTSUPP if this kind of link cannot be updated
   */
  public void update(BpfProgram program) {
    Objects.requireNonNull(program);
    int fd = acquire();
    try {
      int prog = program.acquire();
      try {
        LinkSys.linkUpdate(fd, prog, 0, hook);
      } catch (BpfSyscallException e) {
        String why;
        if (e.errno() == Errno.EOPNOTSUPP || e.errno() == Errno.ENOTSUPP) {
          why = "the kernel cannot replace the program of this kind of link (" + hook + "): attach '"
              + program.name() + "' with a new link and close this one";
        } else if (e.errno() == Errno.EINVAL) {
          why = "'" + program.name() + "' (" + program.type() + ", section " + program.section() + ") does not"
              + " fit this link: the new program needs the old one's type and expected attach type, and some"
              + " links (tracepoints, tracing) cannot be updated at all";
        } else if (e.errno() == Errno.ENOLINK) {
          why = "the link was detached (its interface or cgroup went away, or BPF_LINK_DETACH)";
        } else {
          why = "replacing the program with '" + program.name() + "'";
        }
        throw BpfSyscallException.of("BPF_LINK_UPDATE", hook, e.errno(), why);
      } finally {
        program.release();
      }
    } finally {
      release();
    }
  }

  /**
   * Pins the link at {@code path} on bpffs ({@code BPF_OBJ_PIN}: one system call). The program then
   * stays attached after {@link #close()} and after this process exits, until {@link #unpin()} (or
   * removing the file) and the last fd are gone.
   *
   * @throws BpfKeyExistsException if the path exists
   */
  public void pin(Path path) {
    int fd = acquire();
    try {
      BpfSys.objPin(fd, path.toString());
      pinnedAt = path;
    } finally {
      release();
    }
  }

  /**
   * Removes the pin made by {@link #pin} or through which {@link #openPinned} opened the link. The
   * link then detaches when this handle is closed (and the program at once if it already was and
   * no other fd holds it). Idempotent when not pinned.
   *
   * @throws BpfException if the pin file cannot be deleted
   */
  public void unpin() {
    Path p = pinnedAt;
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
      pinnedAt = null;
    } catch (java.io.IOException e) {
      throw new BpfException("unpin", p.toString(), 0, "could not remove the pin '" + p + "' of " + hook + ": " + e, e);
    }
  }

  /** Where the link is pinned, or null. */
  public @Nullable Path pinnedAt() {
    return pinnedAt;
  }

  /**
   * Detaches the program from its hook now ({@code BPF_LINK_DETACH}: one system call), even if the
   * link is pinned or another process holds it; the link stays, defunct, until closed and unpinned.
   * Supported for XDP, tcx, cgroup, netns, netfilter and struct_ops links.
   *
   * @throws BpfSyscallException EOPNOTSUPP for link types the kernel cannot force-detach
   */
  public void detach() {
    int fd = acquire();
    try {
      LinkSys.linkDetach(fd, hook);
    } finally {
      release();
    }
  }

  /**
   * Closes the link's fd (and its perf event's): the program is detached unless the link is pinned
   * or another fd still holds it. Idempotent; never throws.
   */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** True once {@link #close()} was called. */
  public boolean isClosed() {
    return fds.closing();
  }

  @Override
  public String toString() {
    return "BpfLink[" + (program.isEmpty() ? "" : program + " -> ") + hook
        + (xdpMode == null ? "" : ", " + xdpMode) + (pinnedAt == null ? "" : ", pinned at " + pinnedAt)
        + (fds.closing() ? ", closed" : "") + "]";
  }
}
