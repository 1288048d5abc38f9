package javaland.runtime.kernel.bpf;

import java.lang.foreign.MemorySegment;

/** An attached struct_ops link; destroying it unregisters the scheduler. Idempotent. */
public final class BpfLink implements AutoCloseable {
  private final Libbpf lib;
  private MemorySegment link;

  BpfLink(Libbpf lib, MemorySegment link) {
    this.lib = lib;
    this.link = link;
  }

  @Override
  public synchronized void close() {
    if (link == null) return;
    try {
      int unused = (int) lib.linkDestroy.invokeExact(link);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    link = null;
  }
}
