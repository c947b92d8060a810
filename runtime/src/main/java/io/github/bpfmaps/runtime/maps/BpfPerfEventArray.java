package io.github.bpfmaps.runtime.maps;

import static io.github.bpfmaps.runtime.maps.RingMemory.LONGS;
import static io.github.bpfmaps.runtime.maps.RingMemory.closeQuietly;
import static io.github.bpfmaps.runtime.maps.RingMemory.unmapQuietly;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.Bpf;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.BpfSys;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.PerfEvent;
import io.github.bpfmaps.runtime.sys.RefCount;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The reader of a PERF_EVENT_ARRAY map: events that BPF programs emit with {@code
 * bpf_perf_event_output}, one kernel ring per CPU, decoded as {@code V}.
 *
 * <p>{@link #open(PerfOptions)} opens one {@code perf_event_open(PERF_TYPE_SOFTWARE,
 * PERF_COUNT_SW_BPF_OUTPUT, sample_type = PERF_SAMPLE_RAW)} event per CPU, maps its ring (one
 * metadata page, {@code struct perf_event_mmap_page}, then 2^n data pages), stores its fd in the map
 * at the CPU's index (that is where {@code BPF_F_CURRENT_CPU} looks) and registers it with one epoll
 * instance. Until then a program's output finds no event (ENOENT) and is dropped, so open before the
 * program runs.
 *
 * <p>Memory ordering is the one {@code include/uapi/linux/perf_event.h} documents for {@code
 * data_head}/{@code data_tail} (and {@code kernel/events/ring_buffer.c} pairs with): {@code data_head}
 * is read with acquire semantics before any record is read, and {@code data_tail} is written with
 * release semantics after the records are consumed, so the kernel never overwrites a record being
 * read. Records are 8-byte aligned and may wrap around the end of the data area (it is mapped once);
 * such a record is reassembled in a private buffer before it is decoded.
 *
 * <p>Each ring holds {@code PERF_RECORD_SAMPLE} records ({@code u32 size} then the raw bytes, padded
 * by the kernel so that size + 4 is a multiple of 8: a raw length is the program's length rounded
 * up) and {@code PERF_RECORD_LOST} records (how many samples did not fit); lost counts are kept per
 * CPU ({@link #lost()}, {@link #lostPerCpu()}) and optionally passed to {@link
 * PerfOptions#onLost}.
 *
 * <p>Reading costs no system call while events are waiting; {@code poll} calls {@code epoll_wait}
 * only when every ring is empty. The typed paths allocate the decoded values only; {@link #pollRaw}
 * and {@link #readAvailableRaw} allocate nothing per event. A sample shorter than {@code V} cannot be
 * decoded: the reader moves past it, delivers the rest, and then throws {@link BpfValueException}
 * naming the map, the CPU, the ring position and the length. Thread-safe: concurrent readers take
 * turns (a lock), so each event is delivered once. {@link #close()} removes the map entries, disables
 * the events, and unmaps the rings (deferred while a {@code poll} waits, at most its timeout).
 *
 * @param <V> the event type (the fixed part, for variable-length events)
 */
public class BpfPerfEventArray<V> extends BpfMapHandle {
  /** {@code PERF_RECORD_LOST} in {@code enum perf_event_type}. */
  static final int RECORD_LOST = 2;
  /** {@code PERF_RECORD_SAMPLE} in {@code enum perf_event_type}. */
  static final int RECORD_SAMPLE = 9;
  /** {@code offsetof(struct perf_event_mmap_page, data_head)}. */
  static final int DATA_HEAD = 1024;
  /** {@code offsetof(struct perf_event_mmap_page, data_tail)}. */
  static final int DATA_TAIL = 1032;
  /** {@code struct perf_event_header} (type, misc, size) plus the {@code u32} raw size. */
  static final int SAMPLE_HEADER = 12;
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  /**
   * Receives the count of a {@code PERF_RECORD_LOST}: samples the kernel could not write into
   * {@code cpu}'s ring because it was full. Called on the reading thread.
   */
  @FunctionalInterface
  public interface LostHandler {
    /** {@code count} more samples were lost on {@code cpu}. */
    void lost(int cpu, long count);
  }

  /**
   * Receives one sample's raw bytes, without copying or allocating: {@code length} bytes at {@code
   * offset} in {@code buf}, valid only during the call (the ring reuses them afterwards).
   */
  @FunctionalInterface
  public interface RawHandler {
    /** One sample from {@code cpu}'s ring; {@code length} is the kernel's, padded to 8n + 4. */
    void accept(int cpu, ByteBuffer buf, int offset, int length);
  }

  /**
   * Receives a variable-length event: its fixed part decoded as {@code V}, and the bytes after it at
   * {@code offset} in {@code buf} (valid only during the call; {@code length} includes the kernel's
   * padding, so the event should say how many of them are meaningful).
   */
  @FunctionalInterface
  public interface TrailingHandler<V> {
    /** One event: the decoded fixed part and where its trailing bytes are. */
    void accept(V fixed, ByteBuffer buf, int offset, int length);
  }

  /** The event codec (of the fixed part, for variable-length events). */
  protected final Codec<V> valueCodec;
  private final Object readLock = new Object();
  private volatile @Nullable Rings rings;
  private Cleaner.@Nullable Cleanable cleanable;
  private volatile @Nullable LostHandler lostHandler;
  // The first undecodable record of the current read and how many there were; under readLock.
  private @Nullable String badRecord;
  private int badRecords;

  /** One CPU's ring. The lost counter is written under the read lock and read by anyone. */
  private static final class CpuRing {
    final int cpu;
    final int fd;
    final long address;
    final ByteBuffer meta;
    final ByteBuffer data;
    final int dataSize;
    volatile long lost;

    CpuRing(int cpu, int fd, long address, ByteBuffer meta, ByteBuffer data) {
      this.cpu = cpu;
      this.fd = fd;
      this.address = address;
      this.meta = meta;
      this.data = data;
      this.dataSize = data.capacity();
    }
  }

  /** Everything {@link #open} made: unmapped and closed once, after the last reader. */
  private static final class Rings extends RefCount {
    final CpuRing[] rings;
    final long mapSize;
    final int epollFd;
    final long eventsAddress;
    final ByteBuffer events;
    // A perf record is at most 64 KiB (its header's size is a u16): room to reassemble one that wraps.
    final ByteBuffer wrapped = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.nativeOrder());

    Rings(CpuRing[] rings, long mapSize, int epollFd) {
      this.rings = rings;
      this.mapSize = mapSize;
      this.epollFd = epollFd;
      // struct epoll_event is 12 bytes on x86-64 and 16 elsewhere; 16 a ring fits both.
      this.events = ByteBuffer.allocateDirect(16 * rings.length);
      this.eventsAddress = Scratch.address(events);
    }

    @Override
    protected void free() {
      for (CpuRing r : rings) {
        releaseRing(r.fd, r.address, mapSize);
      }
      closeQuietly(epollFd);
    }
  }

  /** Receives one sample on the read path; {@code position} is its place in the ring, for errors. */
  private interface Sink {
    void sample(CpuRing ring, long position, ByteBuffer buf, int offset, int length);
  }

  /**
   * Wraps the map; opens nothing yet (no system call). Call {@link #open()} or {@link
   * #open(PerfOptions)} before the program emits events.
   *
   * @param valueCodec decodes one event (its fixed part)
   */
  public BpfPerfEventArray(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec);
    this.valueCodec = valueCodec;
  }

  /** {@link #open(PerfOptions)} with {@link PerfOptions#defaults()}. Returns this. */
  public BpfPerfEventArray<V> open() {
    return open(PerfOptions.defaults());
  }

  /**
   * Opens a ring on each CPU {@code options} names (every online CPU by default) and stores it in
   * the map. Per CPU: {@code perf_event_open}, {@code mmap}, {@code BPF_MAP_UPDATE_ELEM}, {@code
   * epoll_ctl} and {@code PERF_EVENT_IOC_ENABLE} (five system calls), plus one {@code
   * BPF_OBJ_GET_INFO_BY_FD}. On failure everything opened so far is closed again. Returns this.
   *
   * @throws IllegalStateException if the rings are already open
   * @throws IllegalArgumentException if a CPU is beyond the map's {@code max_entries}, or the
   *     watermark does not fit in the ring
   * @throws BpfSyscallException naming the call, the map and the CPU when the kernel refuses
   */
  public BpfPerfEventArray<V> open(PerfOptions options) {
    synchronized (readLock) {
      if (rings != null) {
        throw new IllegalStateException("perf event array '" + spec.name() + "' is already open");
      }
      int maxEntries = info().maxEntries();
      int[] cpus = options.cpus() != null ? options.cpus() : Bpf.onlineCpus();
      for (int cpu : cpus) {
        if (cpu >= maxEntries) {
          throw new IllegalArgumentException("perf event array '" + spec.name() + "' has max_entries "
              + maxEntries + ", so it has no slot for CPU " + cpu + "; create it with at least "
              + (cpu + 1) + " entries (0 in a BPF object means one per possible CPU)");
        }
      }
      long page = LibC.sysconf(LibC.SC_PAGESIZE);
      long dataSize = page * options.pages();
      if (options.watermarkBytes() >= dataSize) {
        throw new IllegalArgumentException("perf event array '" + spec.name() + "': a watermark of "
            + options.watermarkBytes() + " bytes never fires in a ring of " + dataSize
            + " bytes; use more pages or a smaller watermark");
      }
      long mapSize = page + dataSize;
      CpuRing[] opened = new CpuRing[cpus.length];
      int epoll = -1;
      int n = 0;
      boolean done = false;
      try {
        epoll = epollCreate();
        for (; n < cpus.length; n++) {
          opened[n] = openRing(cpus[n], options, page, mapSize, epoll);
        }
        Rings r = new Rings(opened, mapSize, epoll);
        this.lostHandler = options.lostHandler();
        this.cleanable = RefCount.CLEANER.register(this, r);
        this.rings = r;
        done = true;
        return this;
      } finally {
        if (!done) {
          for (int i = 0; i < n; i++) {
            deleteEntry(opened[i].cpu);
            releaseRing(opened[i].fd, opened[i].address, mapSize);
          }
          closeQuietly(epoll);
        }
      }
    }
  }

  private int epollCreate() {
    try {
      return LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
    } catch (LastErrorException e) {
      throw BpfSyscallException.of("epoll_create1", spec.name(), e.getErrorCode(), null);
    }
  }

  private CpuRing openRing(int cpu, PerfOptions options, long page, long mapSize, int epoll) {
    String target = "perf ring of map '" + spec.name() + "' on CPU " + cpu;
    PerfEvent.Attr attr = new PerfEvent.Attr();
    attr.type = PerfEvent.TYPE_SOFTWARE;
    attr.config = PerfEvent.COUNT_SW_BPF_OUTPUT;
    attr.sampleType = PerfEvent.SAMPLE_RAW;
    attr.samplePeriod = 1;
    attr.watermark = options.watermarkBytes() > 0;
    attr.wakeup = attr.watermark ? options.watermarkBytes() : options.wakeupEvents();
    int perfFd = PerfEvent.open(attr, -1, cpu, -1, 0, target);
    long address = 0;
    boolean stored = false;
    try {
      try {
        address = LibC.mmap(0, mapSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, perfFd, 0);
      } catch (LastErrorException e) {
        throw BpfSyscallException.of("mmap", target, e.getErrorCode(), (mapSize / page - 1)
            + " data pages (EPERM/ENOMEM: over perf_event_mlock_kb or RLIMIT_MEMLOCK; use fewer pages)");
      }
      Scratch s = Scratch.get();
      s.key(4).putInt(0, cpu);
      s.value(4).putInt(0, perfFd);
      int err = elem(s, BpfSys.BPF_MAP_UPDATE_ELEM, s.keyAddress(), s.valueAddress(), 0);
      if (err != 0) {
        throw error(BpfSys.BPF_MAP_UPDATE_ELEM, err, "storing the ring of CPU " + cpu);
      }
      stored = true;
      ByteBuffer ev = s.spare(16);
      ev.putLong(0, 0).putLong(8, 0);
      ev.putInt(0, LibC.EPOLLIN);
      try {
        LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_ADD, perfFd, s.spareAddress());
      } catch (LastErrorException e) {
        throw BpfSyscallException.of("epoll_ctl", target, e.getErrorCode(), null);
      }
      PerfEvent.ioctl(perfFd, PerfEvent.IOC_ENABLE, 0, target);
      Pointer p = new Pointer(address);
      ByteBuffer meta = p.getByteBuffer(0, page).order(ByteOrder.nativeOrder());
      ByteBuffer data = p.getByteBuffer(page, mapSize - page).order(ByteOrder.nativeOrder());
      return new CpuRing(cpu, perfFd, address, meta, data);
    } catch (RuntimeException e) {
      if (stored) {
        deleteEntry(cpu);
      }
      releaseRing(perfFd, address, mapSize);
      throw e;
    }
  }

  private void deleteEntry(int cpu) {
    if (fd.isClosed()) {
      return;
    }
    Scratch s = Scratch.get();
    s.key(4).putInt(0, cpu);
    try {
      elem(s, BpfSys.BPF_MAP_DELETE_ELEM, s.keyAddress(), 0, 0); // ENOENT: already gone, fine
    } catch (BpfClosedException ignored) {
      // closed concurrently: the kernel drops the entries with the map
    }
  }

  private static void releaseRing(int perfFd, long address, long mapSize) {
    unmapQuietly(address, mapSize);
    closeQuietly(perfFd);
  }

  /** True once {@link #open} succeeded (and until {@link #close()}). */
  public boolean isOpen() {
    return rings != null && !isClosed();
  }

  /** The CPUs with a ring, ascending. No system call. @throws IllegalStateException before open */
  public int[] cpus() {
    CpuRing[] rs = opened("cpus").rings;
    int[] out = new int[rs.length];
    for (int i = 0; i < rs.length; i++) {
      out[i] = rs[i].cpu;
    }
    return out;
  }

  /**
   * Samples lost on every CPU so far, as the {@code PERF_RECORD_LOST} records read until now tell
   * (the kernel writes one into a ring when space is free again, so a count shows up on the read
   * after the ring had room). No system call, no allocation.
   *
   * @throws IllegalStateException before {@link #open}
   */
  public long lost() {
    long total = 0;
    for (CpuRing r : opened("lost").rings) {
      total += r.lost;
    }
    return total;
  }

  /**
   * Samples lost on {@code cpu} so far (see {@link #lost()}).
   *
   * @throws IllegalArgumentException if no ring is open on {@code cpu}
   */
  public long lost(int cpu) {
    for (CpuRing r : opened("lost").rings) {
      if (r.cpu == cpu) {
        return r.lost;
      }
    }
    throw new IllegalArgumentException("perf event array '" + spec.name() + "' has no ring on CPU " + cpu);
  }

  /** Lost samples by CPU, in CPU order (a new map). */
  public Map<Integer, Long> lostPerCpu() {
    Map<Integer, Long> out = new LinkedHashMap<>();
    for (CpuRing r : opened("lostPerCpu").rings) {
      out.put(r.cpu, r.lost);
    }
    return out;
  }

  private Rings opened(String operation) {
    Rings r = rings;
    if (r == null) {
      if (isClosed()) {
        throw new BpfClosedException(operation, spec.name());
      }
      throw new IllegalStateException("perf event array '" + spec.name() + "' has no rings yet: call open()"
          + " (or open(PerfOptions)) before " + operation + ", and before the program runs, so that no"
          + " event is dropped");
    }
    return r;
  }

  private Rings acquire(String operation) {
    Rings r = opened(operation);
    r.acquire(operation, spec.name());
    return r;
  }

  /**
   * Delivers every event now in the rings to {@code action}, ring by ring in CPU order and in order
   * within a ring, and returns how many. No system call; allocates the decoded values only.
   *
   * @throws BpfClosedException after {@link #close()}
   * @throws IllegalStateException before {@link #open}
   * @throws BpfValueException after delivering the rest, if a sample was shorter than {@code V}
   */
  public int readAvailable(Consumer<? super V> action) {
    return read("readAvailable", null, typed(action));
  }

  /**
   * Waits up to {@code timeout} for events if every ring is empty ({@code epoll_wait}: one system
   * call per wait), then delivers what is there as {@link #readAvailable}. Returns how many events
   * were delivered: 0 when the timeout passed with none.
   */
  public int poll(Duration timeout, Consumer<? super V> action) {
    return read("poll", timeout, typed(action));
  }

  /** {@link #readAvailable} for raw samples, without copying or allocating per event. */
  public int readAvailableRaw(RawHandler handler) {
    return read("readAvailableRaw", null, raw(handler));
  }

  /** {@link #poll} for raw samples, without copying or allocating per event. */
  public int pollRaw(Duration timeout, RawHandler handler) {
    return read("pollRaw", timeout, raw(handler));
  }

  /**
   * {@link #poll} for variable-length events: {@code V} is decoded from each sample's first bytes
   * and the rest is handed over in place.
   */
  public int pollWithTrailing(Duration timeout, TrailingHandler<? super V> handler) {
    int size = valueCodec.byteSize();
    return read("pollWithTrailing", timeout, (ring, position, buf, offset, length) -> {
      if (fits(ring, position, length)) {
        handler.accept(valueCodec.decode(buf, offset), buf, offset + size, length - size);
      }
    });
  }

  private Sink typed(Consumer<? super V> action) {
    return (ring, position, buf, offset, length) -> {
      if (fits(ring, position, length)) {
        action.accept(valueCodec.decode(buf, offset));
      }
    };
  }

  private static Sink raw(RawHandler handler) {
    return (ring, position, buf, offset, length) -> handler.accept(ring.cpu, buf, offset, length);
  }

  /** False, and the record noted as undecodable, if a sample is shorter than {@code V}. */
  private boolean fits(CpuRing ring, long position, int length) {
    if (length >= valueCodec.byteSize()) {
      return true;
    }
    noteBad(ring, position, length, "a " + length + "-byte sample, shorter than the "
        + valueCodec.byteSize() + " bytes of its event type");
    return false;
  }

  private void noteBad(CpuRing ring, long position, int length, String what) {
    if (badRecords++ == 0) {
      badRecord = "perf event array '" + spec.name() + "', CPU " + ring.cpu + ", ring position "
          + position + ", length " + length + ": " + what;
    }
  }

  private int read(String operation, @Nullable Duration timeout, Sink sink) {
    long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
    Rings r = acquire(operation);
    String bad;
    int bads;
    int delivered;
    try {
      synchronized (readLock) {
        badRecord = null;
        badRecords = 0;
        try {
          delivered = drainAll(r, sink);
          while (delivered == 0 && timeout != null && badRecords == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              break;
            }
            int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
            try {
              LibC.epoll_wait(r.epollFd, r.eventsAddress, r.rings.length, ms);
            } catch (LastErrorException e) {
              if (e.getErrorCode() != Errno.EINTR) {
                throw BpfSyscallException.of("epoll_wait", spec.name(), e.getErrorCode(), null);
              }
            }
            delivered = drainAll(r, sink);
          }
        } finally {
          bad = badRecord;
          bads = badRecords;
          badRecord = null;
          badRecords = 0;
        }
      }
    } finally {
      r.release();
    }
    if (bad != null) {
      throw new BpfValueException("PERF_EVENT_ARRAY read", bad + (bads > 1 ? " (and " + (bads - 1)
          + " more undecodable records)" : "") + "; " + delivered + " other events were delivered");
    }
    return delivered;
  }

  private int drainAll(Rings r, Sink sink) {
    int delivered = 0;
    for (CpuRing ring : r.rings) {
      delivered += drainRing(r, ring, sink);
    }
    return delivered;
  }

  private int drainRing(Rings r, CpuRing ring, Sink sink) {
    // Acquire pairs with the kernel's smp_store_release of data_head (perf_output_put_handle): every
    // record below head is fully written before we read it.
    long head = (long) LONGS.getAcquire(ring.meta, DATA_HEAD);
    long tail = ring.meta.getLong(DATA_TAIL); // only we write it, under the read lock
    if (tail >= head) {
      return 0;
    }
    int delivered = 0;
    ByteBuffer data = ring.data;
    int dataSize = ring.dataSize;
    int mask = dataSize - 1;
    try {
      while (tail < head) {
        int at = (int) (tail & mask);
        // Records are 8-byte aligned and the data area is whole pages: a header never wraps. The
        // header (u32 type, u16 misc, u16 size) is one aligned native word: one read, not two.
        long word = data.getLong(at);
        int type = LITTLE_ENDIAN ? (int) word : (int) (word >>> 32);
        int size = LITTLE_ENDIAN ? (int) (word >>> 48) : (int) word & 0xffff;
        if (size < 8 || size > head - tail) {
          noteBad(ring, tail, size, "a record header of type " + type + " with an impossible size;"
              + " skipped what was left in this ring");
          tail = head;
          break;
        }
        ByteBuffer buf = data;
        if (at + size > dataSize) {
          int first = dataSize - at;
          r.wrapped.put(0, data, at, first).put(first, data, 0, size - first);
          buf = r.wrapped;
          at = 0;
        }
        long position = tail;
        tail += size;
        if (type == RECORD_SAMPLE) {
          int length = buf.getInt(at + 8);
          if (length > size - SAMPLE_HEADER || length < 0) {
            noteBad(ring, position, size, "a sample claiming " + length + " raw bytes");
          } else {
            sink.sample(ring, position, buf, at + SAMPLE_HEADER, length);
            delivered++;
          }
        } else if (type == RECORD_LOST) {
          long count = buf.getLong(at + 16); // after the header: u64 id, u64 lost
          ring.lost += count;
          LostHandler h = lostHandler;
          if (h != null) {
            h.lost(ring.cpu, count);
          }
        }
        // Other record types (throttle, ...) carry nothing for us.
      }
    } finally {
      // Release: the kernel may reuse the bytes only after we are done with every record below tail.
      LONGS.setRelease(ring.meta, DATA_TAIL, tail);
    }
    return delivered;
  }

  /**
   * Removes the map entries this reader stored, disables and closes the perf events, unmaps the rings
   * (deferred while a poll waits) and closes the map fd. Idempotent; never throws.
   */
  @Override
  public void close() {
    Rings r = rings;
    if (r != null) {
      for (CpuRing ring : r.rings) {
        deleteEntry(ring.cpu);
      }
    }
    Cleaner.Cleanable c = cleanable;
    if (c != null) {
      c.clean();
    }
    super.close();
  }
}
