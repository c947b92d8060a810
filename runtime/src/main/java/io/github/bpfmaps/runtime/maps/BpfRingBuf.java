package io.github.bpfmaps.runtime.maps;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfException;
import io.github.bpfmaps.errors.BpfRecordException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.Errno;
import io.github.bpfmaps.runtime.BpfObject;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.RawMemory;
import io.github.bpfmaps.runtime.sys.RefCount;
import io.github.bpfmaps.runtime.sys.Scratch;
import io.github.bpfmaps.spec.MapSpec;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The consumer side of a RINGBUF map: records that BPF programs write with {@code
 * bpf_ringbuf_output} or {@code bpf_ringbuf_reserve/submit}, read in order and decoded as {@code V}.
 *
 * <p>Shared memory, as {@code kernel/bpf/ringbuf.c} lays it out: at mmap offset 0 one writable page
 * whose first 8 bytes are the consumer position; at offset one page, read-only, the producer
 * position page followed by the data area mapped twice in a row (so a record that wraps is
 * contiguous). Each record has an 8-byte header ({@code BPF_RINGBUF_HDR_SZ}): a 32-bit length whose
 * top bits are {@code BPF_RINGBUF_BUSY_BIT} (still being written) and {@code
 * BPF_RINGBUF_DISCARD_BIT} (skip it), then a page offset; records are 8-byte aligned. Positions are
 * read with acquire and the consumer position written with release semantics, as the kernel's
 * {@code smp_load_acquire}/{@code smp_store_release} pair requires.
 *
 * <p>{@link #consume} reads what is there without a system call; {@link #poll} first waits with
 * {@code epoll_wait} (one system call) when the ring is empty. Decoding allocates the values only.
 * A record longer than {@code V}'s C size is decoded from its first bytes.
 *
 * <p><b>Records that do not decode</b> (shorter than {@code V}'s C size, or refused by the codec, as
 * a generated enum codec refuses a number no constant has) follow one rule: the consumer moves past
 * the record, so it never blocks the ring and is never read again; the records after it are
 * delivered in the same call; when the call has delivered everything available it throws a {@link
 * BpfRecordException} naming the ring buffer, the record's position and length and the codec's
 * reason (further bad records of the same call are suppressed in it and counted). The exception is
 * thrown after the batch rather than given to a handler so that a caller that ignores it cannot
 * lose it silently; catching it and calling {@code consume} again simply goes on. If {@code action}
 * throws, the record it was given counts as consumed, and the exception propagates at once.
 *
 * <p><b>Each record is delivered once.</b> Concurrent consumers take turns (a lock). A {@code
 * consume} or {@code poll} called from inside {@code action} on the same thread goes on from
 * where the outer call stands and delivers the remaining records itself; the outer call then
 * continues after them (its count does not include the nested call's records). {@link #close()}
 * while a {@code poll} waits defers unmapping until it returns (at most its timeout).
 *
 * <p><b>Drops.</b> The kernel counts no record a program failed to reserve. Programs that reserve
 * through the macros of {@code bpfmaps/ringbuf_drops.h} count them in a per-CPU map {@code
 * <ring>_drops}; a ring bound from its object ({@code <Record>Map.bind(obj)} or {@link
 * #BpfRingBuf(BpfObject, MapSpec, Codec)}) finds that map and answers {@link #dropped()}.
 *
 * @param <V> the record type
 */
public class BpfRingBuf<V> extends BpfMapHandle {
  // The ring header bits and ordered word views are RingMemory's, shared with BpfUserRingBuf.
  private static final int BUSY = RingMemory.BUSY;
  private static final int DISCARD = RingMemory.DISCARD;
  private static final int HEADER = RingMemory.HEADER;
  private static final VarHandle LONGS = RingMemory.LONGS;

  /** The record codec. */
  protected final Codec<V> valueCodec;
  private final Ring ring;
  private final ByteBuffer consumerPage;
  private final ByteBuffer producerPage;
  private final ByteBuffer data;
  /** The address of {@link #data}'s first byte, for {@link RawMemory}. */
  private final long dataAddress;
  private final long mask;
  private final Object consumerLock = new Object();
  private final Cleaner.Cleanable cleanable;
  private final @Nullable RingBufDrops drops;
  // Under consumerLock: where the drain stands (ahead of the consumer page by less than
  // RELEASE_EVERY records), and how many drains of this thread are running (nested in callbacks).
  private long position;
  private int depth;
  /**
   * The consumer position is published every this many delivered records (a power of two) and at
   * the end of a drain: libbpf writes it after every record, which costs an ordered store each.
   */
  private static final int RELEASE_EVERY = 64;

  private static final class Ring extends RefCount {
    final long consumerAddress;
    final long consumerSize;
    final long producerAddress;
    final long producerSize;
    final int epollFd;
    final ByteBuffer events = ByteBuffer.allocateDirect(16);
    final long eventsAddress = Scratch.address(events);

    Ring(long consumerAddress, long consumerSize, long producerAddress, long producerSize, int epollFd) {
      this.consumerAddress = consumerAddress;
      this.consumerSize = consumerSize;
      this.producerAddress = producerAddress;
      this.producerSize = producerSize;
      this.epollFd = epollFd;
    }

    @Override
    protected void free() {
      try {
        LibC.munmap(consumerAddress, consumerSize);
        LibC.munmap(producerAddress, producerSize);
        LibC.close(epollFd);
      } catch (LastErrorException e) {
        // only bad arguments make these fail; nothing to recover
      }
    }
  }

  /**
   * Maps the ring's pages and sets up an epoll instance on its fd (four system calls; one more to
   * unmap each on close). Without a drop counter: {@link #dropped()} throws.
   *
   * @param valueCodec decodes one record
   * @throws BpfSyscallException if the kernel refuses the mapping
   */
  public BpfRingBuf(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    this(fd, spec, valueCodec, null);
  }

  /**
   * The ring buffer {@code spec} names in a loaded object, with its drop counter {@code
   * <name>_drops} when the object declares one ({@code BPFMAPS_RINGBUF_DROPS}, see {@link
   * #dropped()}). What every generated {@code <Record>Map.bind(obj)} of a RINGBUF record calls. Five
   * system calls (six with a counter).
   *
   * @throws io.github.bpfmaps.errors.BpfSpecMismatchException if the object's ring or counter is
   *     not what {@code spec} and the header declare
   * @throws BpfException if the object has no such ring or is not loaded
   * @throws BpfSyscallException if the kernel refuses the mapping
   */
  public BpfRingBuf(BpfObject object, MapSpec spec, Codec<V> valueCodec) {
    this(object, object.bindMap(spec, null, valueCodec), spec, valueCodec);
  }

  // Binds the counter after the ring's fd (so a missing ring says so first) and closes that fd if
  // the counter does not bind.
  private BpfRingBuf(BpfObject object, MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    this(fd, spec, valueCodec, counterOf(object, fd, spec));
  }

  private static @Nullable RingBufDrops counterOf(BpfObject object, MapFd fd, MapSpec spec) {
    try {
      return RingBufDrops.ifDeclared(object, spec.name());
    } catch (RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  /**
   * As {@link #BpfRingBuf(MapFd, MapSpec, Codec)}, with {@code drops} answering {@link #dropped()}
   * (for a ring from an fd, pin or id whose program counts its drops). The handle owns {@code
   * drops}: it closes it with itself, or at once if the mapping fails.
   *
   * @throws BpfSyscallException if the kernel refuses the mapping
   */
  public BpfRingBuf(MapFd fd, MapSpec spec, Codec<V> valueCodec, @Nullable RingBufDrops drops) {
    super(fd, spec);
    this.valueCodec = valueCodec;
    this.drops = drops;
    long page = LibC.sysconf(LibC.SC_PAGESIZE);
    long size = spec.maxEntries();
    this.mask = size - 1;
    long consumer = 0;
    long producer = 0;
    int epoll = -1;
    int raw = fd.acquire();
    // The call that failed names the error: an epoll or fd-table failure is not a mapping problem.
    String call = "mmap";
    String detail = "consumer page of RINGBUF of " + size + " bytes";
    try {
      consumer = LibC.mmap(0, page, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, raw, 0);
      detail = "producer page and data of RINGBUF of " + size + " bytes";
      producer = LibC.mmap(0, page + 2 * size, LibC.PROT_READ, LibC.MAP_SHARED, raw, page);
      call = "epoll_create1";
      detail = "the epoll instance poll() waits on";
      epoll = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
      ByteBuffer ev = Scratch.get().spare(16);
      ev.putLong(0, 0).putLong(8, 0);
      ev.putInt(0, LibC.EPOLLIN);
      call = "epoll_ctl(EPOLL_CTL_ADD)";
      detail = "watching the ring buffer's fd";
      LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_ADD, raw, Scratch.get().spareAddress());
    } catch (LastErrorException e) {
      RingMemory.unmapQuietly(consumer, page);
      RingMemory.unmapQuietly(producer, page + 2 * size);
      if (epoll >= 0) {
        LibC.close(epoll);
      }
      fd.close(); // owned by this handle, which will not exist (the close waits for the release below)
      if (drops != null) {
        drops.close();
      }
      throw BpfSyscallException.of(call, spec.name(), e.getErrorCode(), detail);
    } finally {
      fd.release();
    }
    this.ring = new Ring(consumer, page, producer, page + 2 * size, epoll);
    this.consumerPage = new Pointer(consumer).getByteBuffer(0, page).order(ByteOrder.nativeOrder());
    this.producerPage = new Pointer(producer).getByteBuffer(0, page).order(ByteOrder.nativeOrder());
    this.data = new Pointer(producer).getByteBuffer(page, 2 * size).order(ByteOrder.nativeOrder());
    this.dataAddress = producer + page;
    this.cleanable = RefCount.CLEANER.register(this, ring);
  }

  /**
   * Records BPF programs could not reserve or output because this ring was full, summed over the
   * CPUs: the count the macros of {@code bpfmaps/ringbuf_drops.h} keep in the map {@code
   * <name>_drops}. One {@code BPF_MAP_LOOKUP_ELEM} system call; allocates nothing.
   *
   * @throws BpfException if this handle has no counter: the ring was not bound from an object that
   *     declares one (the message says how to declare it), or was made from an fd without one
   * @throws BpfClosedException after {@link #close()}
   */
  public long dropped() {
    return counter("dropped").dropped();
  }

  /**
   * Records dropped on {@code cpu} so far (see {@link #dropped()}). One system call; allocates the
   * per-CPU list.
   *
   * @throws BpfException if this handle has no counter
   */
  public long dropped(int cpu) {
    return counter("dropped").dropped(cpu);
  }

  /** True if this handle has a drop counter, so that {@link #dropped()} answers. No system call. */
  public boolean countsDrops() {
    return drops != null;
  }

  private RingBufDrops counter(String operation) {
    RingBufDrops d = drops;
    if (d == null) {
      throw new BpfException(operation, spec.name(), 0, RingBufDrops.noCounter(spec.name(),
          "ring buffer handle '" + spec.name() + "' has no map '" + spec.name() + RingBufDrops.SUFFIX + "'")
          + ", and bind the ring from its loaded object (<Record>Map.bind(obj)) so the handle finds it");
    }
    return d;
  }

  /** Bytes written by producers and not yet consumed. No system call. */
  public long available() {
    acquireRing("available");
    try {
      return (long) LONGS.getAcquire(producerPage, 0) - (long) LONGS.getAcquire(consumerPage, 0);
    } finally {
      ring.release();
    }
  }

  /**
   * Delivers every complete record now in the ring to {@code action}, in order, and returns how many
   * it delivered. No system call; allocates the decoded values.
   *
   * @throws BpfClosedException after {@link #close()}
   * @throws BpfRecordException after the batch, if a record in it did not decode (see the class
   *     comment: it was skipped, the others were delivered)
   */
  public int consume(Consumer<? super V> action) {
    acquireRing("consume");
    try {
      synchronized (consumerLock) {
        return drainRing(action);
      }
    } finally {
      ring.release();
    }
  }

  /**
   * Waits up to {@code timeout} for records if the ring is empty ({@code epoll_wait}: one system
   * call per wait), then delivers what is there as {@link #consume}. Returns how many records were
   * delivered: 0 when the timeout passed with none.
   *
   * @throws BpfClosedException after {@link #close()}
   * @throws BpfRecordException after the batch, if a record in it did not decode (as {@link
   *     #consume})
   * @throws io.github.bpfmaps.errors.BpfSyscallException if {@code epoll_wait} fails (not EINTR)
   */
  public int poll(Duration timeout, Consumer<? super V> action) {
    long deadline = System.nanoTime() + timeout.toNanos();
    acquireRing("poll");
    try {
      synchronized (consumerLock) {
        for (;;) {
          int n = drainRing(action);
          if (n > 0) {
            return n;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return 0;
          }
          int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
          try {
            LibC.epoll_wait(ring.epollFd, ring.eventsAddress, 1, ms);
          } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINTR) {
              throw BpfSyscallException.of("epoll_wait", spec.name(), e.getErrorCode(), null);
            }
          }
        }
      }
    } finally {
      ring.release();
    }
  }

  private void acquireRing(String operation) {
    ring.acquire(operation, spec.name());
  }

  private int drainRing(Consumer<? super V> action) {
    int delivered = 0;
    UndecodableRecords bad = null;
    // A drain nested in a callback (same thread, re-entrant lock) goes on from the outer one's
    // position, which the consumer page may not show yet (it is written in batches, below).
    long cons = depth++ > 0 ? position : (long) LONGS.getAcquire(consumerPage, 0);
    position = cons;
    try {
      ring:
      for (;;) {
        long prod = (long) LONGS.getAcquire(producerPage, 0);
        if (cons >= prod) {
          break;
        }
        while (cons < prod) {
          int at = (int) (cons & mask);
          // Acquire, pairing with the kernel's smp_store_release of the committed header: a plain
          // read and an acquire fence order it as getAcquire does, without the view VarHandle's
          // per-access alignment and scope checks (the header is 8-byte aligned by construction).
          // On Java 17-21 the read goes to the address (at < size, inside the mapping this drain
          // holds): the buffer's own limit and session checks cost 4% of a record there.
          int header = RawMemory.getInt(data, dataAddress, at);
          VarHandle.acquireFence();
          if ((header & BUSY) != 0) {
            break ring; // the producer has reserved but not committed it yet
          }
          int length = header & ~(BUSY | DISCARD);
          long recordPosition = cons;
          // Past the record before anything else happens: an undecodable one must not block the
          // ring, and a callback that throws has still been given its record.
          cons += (length + HEADER + 7) & ~7L;
          position = cons;
          if ((header & DISCARD) != 0) {
            continue;
          }
          if (length < valueCodec.byteSize()) {
            bad = UndecodableRecords.add(bad, spec.name(), recordPosition, length,
                UndecodableRecords.tooShort(length, valueCodec.byteSize()), null);
            continue;
          }
          // The decoded value flows straight into the callback (no merge with a null on another
          // path), so that C2 can keep it in registers when the callback inlines.
          V value;
          try {
            value = valueCodec.decode(data, at + HEADER);
          } catch (RuntimeException e) { // a codec's refusal, or a bug in a hand-written codec
            bad = UndecodableRecords.add(bad, spec.name(), recordPosition, length, String.valueOf(e.getMessage()), e);
            continue;
          }
          try {
            action.accept(value);
          } catch (RuntimeException | Error e) {
            if (bad != null) {
              e.addSuppressed(bad.exception(delivered));
            }
            throw e;
          }
          delivered++;
          // Where a nested consume on this thread left off, if the callback made one.
          cons = position;
          if ((delivered & (RELEASE_EVERY - 1)) == 0) {
            LONGS.setRelease(consumerPage, 0, cons); // room for the producer during a long drain
          }
        }
      }
    } finally {
      depth--;
      // Release: the kernel may reuse the bytes only after we are done with every record below.
      LONGS.setRelease(consumerPage, 0, position);
    }
    if (bad != null) {
      throw bad.exception(delivered);
    }
    return delivered;
  }

  /**
   * Unmaps the ring, closes its epoll fd and the map fd (deferred while a poll is waiting), and the
   * drop counter's fd.
   */
  @Override
  public void close() {
    cleanable.clean();
    if (drops != null) {
      drops.close();
    }
    super.close();
  }
}
