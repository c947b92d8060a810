package io.github.bpfmaps.runtime.maps;

import static io.github.bpfmaps.runtime.maps.RingMemory.BUSY;
import static io.github.bpfmaps.runtime.maps.RingMemory.DISCARD;
import static io.github.bpfmaps.runtime.maps.RingMemory.HEADER;
import static io.github.bpfmaps.runtime.maps.RingMemory.INTS;
import static io.github.bpfmaps.runtime.maps.RingMemory.LONGS;
import static io.github.bpfmaps.runtime.maps.RingMemory.unmapQuietly;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import io.github.bpfmaps.errors.BpfClosedException;
import io.github.bpfmaps.errors.BpfSyscallException;
import io.github.bpfmaps.errors.BpfValueException;
import io.github.bpfmaps.runtime.Codec;
import io.github.bpfmaps.runtime.MapFd;
import io.github.bpfmaps.runtime.sys.LibC;
import io.github.bpfmaps.runtime.sys.RefCount;
import io.github.bpfmaps.spec.MapSpec;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * The producer side of a USER_RINGBUF map: user space writes records that a BPF program consumes
 * with {@code bpf_user_ringbuf_drain} (each one handed to its callback as a dynptr).
 *
 * <p>Shared memory, as {@code kernel/bpf/ringbuf.c} lays it out for this type
 * ({@code ringbuf_map_mmap_user}): at offset 0 the consumer position page, which user space may only
 * read (the kernel moves it as it drains); at offset one page the producer position page, writable,
 * followed by the data area mapped twice in a row, also writable, so a record that wraps is
 * contiguous. A record is an 8-byte header ({@code BPF_RINGBUF_HDR_SZ}: a 32-bit length with {@code
 * BPF_RINGBUF_BUSY_BIT} while it is being written and {@code BPF_RINGBUF_DISCARD_BIT} to have it
 * skipped, then 4 unused bytes) and the bytes, the total rounded up to 8. A reservation writes the
 * header with the busy bit and then publishes the new producer position with release semantics;
 * a submit clears the busy bit with a release store, after the bytes, so the kernel, which reads the
 * header with {@code smp_load_acquire}, sees a complete record. The kernel stops at the first busy
 * record, so records reach the program in reservation order.
 *
 * <p>Nothing here makes a system call or blocks: {@link #offer} returns false when the ring has no
 * room, and a program's next drain makes room. {@link #offer} allocates nothing; {@link #reserve}
 * allocates its small {@link Reservation}. Thread-safe within this process (reservations are taken
 * under a lock); the kernel supports one producing process per ring.
 *
 * @param <V> the record type
 */
public class BpfUserRingBuf<V> extends BpfMapHandle {
  /** The record codec. */
  protected final Codec<V> valueCodec;
  private final Mapping mapping;
  private final ByteBuffer consumerPage;
  private final ByteBuffer producerPage;
  private final ByteBuffer data;
  private final long size;
  private final long mask;
  private final Object producerLock = new Object();
  private final Cleaner.Cleanable cleanable;

  private static final class Mapping extends RefCount {
    final long consumerAddress;
    final long consumerSize;
    final long producerAddress;
    final long producerSize;

    Mapping(long consumerAddress, long consumerSize, long producerAddress, long producerSize) {
      this.consumerAddress = consumerAddress;
      this.consumerSize = consumerSize;
      this.producerAddress = producerAddress;
      this.producerSize = producerSize;
    }

    @Override
    protected void free() {
      unmapQuietly(consumerAddress, consumerSize);
      unmapQuietly(producerAddress, producerSize);
    }
  }

  /**
   * A reserved record: write its {@link #length()} bytes at {@link #offset()} in {@link #buffer()},
   * then {@link #submit()} or {@link #discard()} it exactly once. Until then the program's drains
   * stop at it, and {@link BpfUserRingBuf#close()} waits for it.
   */
  public final class Reservation {
    private final long position;
    private final int length;
    private boolean done;

    private Reservation(long position, int length) {
      this.position = position;
      this.length = length;
    }

    /** The ring's data area; valid until submit or discard. */
    public ByteBuffer buffer() {
      return data;
    }

    /** Where the record's bytes start in {@link #buffer()}. */
    public int offset() {
      return (int) ((position + HEADER) & mask);
    }

    /** How many bytes were reserved. */
    public int length() {
      return length;
    }

    /** Hands the record to the kernel (no system call). @throws IllegalStateException if done */
    public void submit() {
      finish(false);
    }

    /** Tells the kernel to skip the record (no system call). @throws IllegalStateException if done */
    public void discard() {
      finish(true);
    }

    private synchronized void finish(boolean discard) {
      if (done) {
        throw new IllegalStateException("user ring buffer '" + spec.name() + "': this reservation was already "
            + "submitted or discarded");
      }
      done = true;
      try {
        commit(position, discard);
      } finally {
        mapping.release();
      }
    }
  }

  /**
   * Maps the ring's pages (two {@code mmap} system calls; two {@code munmap} on close).
   *
   * @param valueCodec encodes one record
   * @throws BpfSyscallException if the kernel refuses the mapping
   */
  public BpfUserRingBuf(MapFd fd, MapSpec spec, Codec<V> valueCodec) {
    super(fd, spec);
    this.valueCodec = valueCodec;
    long page = LibC.sysconf(LibC.SC_PAGESIZE);
    this.size = spec.maxEntries();
    this.mask = size - 1;
    long consumer = 0;
    long producer = 0;
    int raw = fd.acquire();
    try {
      consumer = LibC.mmap(0, page, LibC.PROT_READ, LibC.MAP_SHARED, raw, 0);
      producer = LibC.mmap(0, page + 2 * size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, raw, page);
    } catch (LastErrorException e) {
      unmapQuietly(consumer, page);
      throw BpfSyscallException.of("mmap", spec.name(), e.getErrorCode(), "USER_RINGBUF of " + size + " bytes");
    } finally {
      fd.release();
    }
    this.mapping = new Mapping(consumer, page, producer, page + 2 * size);
    this.consumerPage = new Pointer(consumer).getByteBuffer(0, page).order(ByteOrder.nativeOrder());
    this.producerPage = new Pointer(producer).getByteBuffer(0, page).order(ByteOrder.nativeOrder());
    this.data = new Pointer(producer).getByteBuffer(page, 2 * size).order(ByteOrder.nativeOrder());
    this.cleanable = RefCount.CLEANER.register(this, mapping);
  }

  /** Bytes free for new records (headers included). No system call. */
  public long free() {
    acquire("free");
    try {
      return size - ((long) LONGS.getAcquire(producerPage, 0) - (long) LONGS.getAcquire(consumerPage, 0));
    } finally {
      mapping.release();
    }
  }

  /**
   * Writes {@code value} as one record if there is room, and returns whether it did: false when the
   * ring is full (until a program drains it). Never blocks; no system call, no allocation.
   *
   * @throws BpfClosedException after {@link #close()}
   * @throws BpfValueException if {@code value} cannot be encoded (the space is then discarded)
   */
  public boolean offer(V value) {
    int length = valueCodec.byteSize();
    acquire("offer");
    long position;
    try {
      position = reserveAt(length);
      if (position < 0) {
        mapping.release();
        return false;
      }
    } catch (RuntimeException e) {
      mapping.release();
      throw e;
    }
    boolean encoded = false;
    try {
      valueCodec.encode(value, data, (int) ((position + HEADER) & mask));
      encoded = true;
    } catch (BpfValueException e) {
      throw e.of(spec.name(), "record");
    } finally {
      try {
        commit(position, !encoded);
      } finally {
        mapping.release();
      }
    }
    return true;
  }

  /**
   * Reserves {@code bytes} for one record, or returns null if the ring has no room now. No system
   * call; allocates the reservation.
   *
   * @throws IllegalArgumentException if a record of {@code bytes} could never fit
   * @throws BpfClosedException after {@link #close()}
   */
  public @Nullable Reservation reserve(int bytes) {
    acquire("reserve");
    boolean kept = false;
    try {
      long position = reserveAt(bytes);
      if (position < 0) {
        return null;
      }
      kept = true;
      return new Reservation(position, bytes);
    } finally {
      if (!kept) {
        mapping.release();
      }
    }
  }

  private void acquire(String operation) {
    mapping.acquire(operation, spec.name());
  }

  /** The record's ring position, or -1 if it does not fit now. */
  private long reserveAt(int length) {
    long total = (length + HEADER + 7) & ~7L;
    if (length <= 0 || total > size) {
      throw new IllegalArgumentException("user ring buffer '" + spec.name() + "' of " + size
          + " bytes cannot hold a " + length + "-byte record (with its 8-byte header, rounded to 8)");
    }
    synchronized (producerLock) {
      // Acquire pairs with the kernel's smp_store_release of consumer_pos after a drain: the bytes
      // below it are no longer read.
      long cons = (long) LONGS.getAcquire(consumerPage, 0);
      long prod = producerPage.getLong(0); // only this process writes it, under the lock
      if (size - (prod - cons) < total) {
        return -1;
      }
      int at = (int) (prod & mask);
      data.putInt(at + 4, 0);
      INTS.setRelease(data, at, length | BUSY);
      // Release: the busy header is visible before the kernel may look at this position.
      LONGS.setRelease(producerPage, 0, prod + total);
      return prod;
    }
  }

  private void commit(long position, boolean discard) {
    int at = (int) (position & mask);
    int header = (int) INTS.getAcquire(data, at) & ~BUSY;
    // Release: the record's bytes are visible before the cleared busy bit (the kernel reads the
    // header with smp_load_acquire in __bpf_user_ringbuf_peek).
    INTS.setRelease(data, at, discard ? header | DISCARD : header);
  }

  /** Unmaps the ring (deferred while a reservation is open) and closes the map fd. */
  @Override
  public void close() {
    cleanable.clean();
    super.close();
  }
}
