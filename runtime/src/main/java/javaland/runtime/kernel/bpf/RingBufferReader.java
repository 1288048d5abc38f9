package javaland.runtime.kernel.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import javaland.telemetry.os.Libc;

/**
 * Consumer side of a BPF ring buffer, read straight from the kernel's pages: no syscall and no
 * upcall per record, nothing allocated. Layout (kernel/bpf/ringbuf.c): one read-write page with
 * the consumer position, then a read-only page with the producer position followed by the data
 * area mapped twice, so a record that wraps is still contiguous. Each record has an 8-byte
 * header: a length with BUSY (bit 31) and DISCARD (bit 30) flags, then padding to 8 bytes.
 */
public final class RingBufferReader {
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;
  private static final long PAGE = 4096;

  /** Receives one record: {@code data} holds it at {@code offset}, {@code length} bytes long. */
  @FunctionalInterface
  public interface RecordSink {
    void accept(MemorySegment data, long offset, int length);
  }

  private final MemorySegment consumerPage;
  private final MemorySegment producerPage;
  private final MemorySegment data;
  private final long mask;
  private final int fd;

  RingBufferReader(MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data, long size, int fd) {
    this.consumerPage = consumerPage;
    this.producerPage = producerPage;
    this.data = data;
    this.mask = size - 1L;
    this.fd = fd;
  }

  /** Maps the ring of map {@code fd} ({@code size} data bytes, a power of two). */
  static RingBufferReader mapped(Arena arena, int fd, int size, String name) {
    MemorySegment consumer = Syscalls.mmap(arena, fd, PAGE, Libc.PROT_READ | Libc.PROT_WRITE, 0, name + " consumer page");
    MemorySegment ro = Syscalls.mmap(arena, fd, PAGE + 2L * size, Libc.PROT_READ, PAGE, name + " data");
    return new RingBufferReader(consumer, ro.asSlice(0, PAGE), ro.asSlice(PAGE, 2L * size), size, fd);
  }

  /** The map's fd, for epoll: readable when the kernel has submitted records. */
  public int fd() {
    return fd;
  }

  /** True when at least one record (possibly still being written) is waiting. */
  public boolean hasData() {
    return (long) LONG.getAcquire(producerPage, 0L) > (long) LONG.getOpaque(consumerPage, 0L);
  }

  /** Bytes submitted but not yet consumed. */
  public long backlogBytes() {
    return (long) LONG.getAcquire(producerPage, 0L) - (long) LONG.getOpaque(consumerPage, 0L);
  }

  /** Hands at most {@code max} complete records to {@code sink}; returns how many. */
  public int read(RecordSink sink, int max) {
    long cons = (long) LONG.getOpaque(consumerPage, 0L);
    long prod = (long) LONG.getAcquire(producerPage, 0L);
    int n = 0;
    while (cons < prod && n < max) {
      long at = cons & mask;
      int header = (int) INT.getAcquire(data, at);
      if ((header & BUSY) != 0) break; // the producer is still writing this one
      int len = header & ~(BUSY | DISCARD);
      if ((header & DISCARD) == 0) {
        sink.accept(data, at + HEADER, len);
        n++;
      }
      cons += (len + HEADER + 7) & ~7L;
      // Release each record at once: the kernel may reuse its space while we decide.
      LONG.setRelease(consumerPage, 0L, cons);
    }
    return n;
  }
}
