package javaland.runtime.kernel.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import javaland.telemetry.os.Libc;

/**
 * Producer side of a BPF user ring buffer, written straight into the kernel's pages: the
 * kernel reads the records when BPF calls {@code bpf_user_ringbuf_drain}. One producer thread
 * only. Layout (kernel/bpf/ringbuf.c): a read-only page with the consumer position, then a
 * writable page with the producer position followed by the data area mapped twice.
 */
public final class UserRingBufferWriter {
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
  private static final int BUSY = 1 << 31;
  private static final int HEADER = 8;
  private static final long PAGE = 4096;

  private final MemorySegment consumerPage;
  private final MemorySegment producerPage;
  private final MemorySegment data;
  private final long size;
  private final long mask;
  private long prod;

  UserRingBufferWriter(MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data, long size) {
    this.consumerPage = consumerPage;
    this.producerPage = producerPage;
    this.data = data;
    this.size = size;
    this.mask = size - 1L;
    this.prod = (long) LONG.getAcquire(producerPage, 0L);
  }

  /** Maps the user ring of map {@code fd} ({@code size} data bytes, a power of two). */
  static UserRingBufferWriter mapped(Arena arena, int fd, int size, String name) {
    MemorySegment consumer = Syscalls.mmap(arena, fd, PAGE, Libc.PROT_READ, 0, name + " consumer page");
    MemorySegment rw = Syscalls.mmap(arena, fd, PAGE + 2L * size, Libc.PROT_READ | Libc.PROT_WRITE, PAGE, name + " data");
    return new UserRingBufferWriter(consumer, rw.asSlice(0, PAGE), rw.asSlice(PAGE, 2L * size), size);
  }

  /** The data area; a reservation's payload starts at {@link #payloadOffset(long)}. */
  public MemorySegment data() {
    return data;
  }

  /**
   * Reserves room for a record of {@code length} bytes. Returns the reservation (a position to
   * pass to {@link #submit}), or -1 when the kernel has not yet drained enough room.
   */
  public long reserve(int length) {
    long total = (length + HEADER + 7) & ~7L;
    long cons = (long) LONG.getAcquire(consumerPage, 0L);
    if (prod - cons + total > size) return -1;
    long pos = prod;
    INT.set(data, pos & mask, length | BUSY);
    INT.set(data, (pos & mask) + 4, 0);
    prod = pos + total;
    LONG.setRelease(producerPage, 0L, prod);
    return pos;
  }

  public long payloadOffset(long reservation) {
    return (reservation + HEADER) & mask;
  }

  /** Publishes a reserved record: the kernel may consume it from now on. */
  public void submit(long reservation, int length) {
    INT.setRelease(data, reservation & mask, length);
  }

  /** Bytes written but not yet drained by the kernel. */
  public long backlogBytes() {
    return prod - (long) LONG.getAcquire(consumerPage, 0L);
  }
}
