package javaland.runtime.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import javaland.runtime.kernel.TaskClassSink;

/**
 * The scheduler's {@code task_classes} hash map (bpf/intf.h, {@code struct jl_task_class}),
 * written through the bpf(2) syscall. One thread at a time (the classifier's resolver): the key
 * and value buffers are reused.
 */
final class TaskClassMap implements TaskClassSink {
  private static final long START = Wire.off(Wire.TASK_CLASS, "start_ticks");
  private static final long MIN = Wire.off(Wire.TASK_CLASS, "slice_min_ns");
  private static final long MAX = Wire.off(Wire.TASK_CLASS, "slice_max_ns");
  private static final long CLS = Wire.off(Wire.TASK_CLASS, "cls");
  private static final int ENOENT = 2;
  private static final long BPF_ANY = 0;

  private final Libbpf lib;
  private final int fd;
  private final MemorySegment key;
  private final MemorySegment value;
  private volatile long refused;
  private boolean closed; // the fd is closed with the object: never write to a number reused since

  TaskClassMap(Libbpf lib, int fd) {
    this.lib = lib;
    this.fd = fd;
    Arena arena = Arena.ofAuto();
    this.key = arena.allocate(JAVA_INT);
    this.value = arena.allocate(Wire.TASK_CLASS);
  }

  @Override
  public synchronized boolean put(int pid, long startTicks, byte taskClass, long sliceMinNs, long sliceMaxNs) {
    if (closed) return false;
    key.set(JAVA_INT, 0, pid);
    value.fill((byte) 0);
    value.set(JAVA_LONG, START, startTicks);
    value.set(JAVA_LONG, MIN, sliceMinNs);
    value.set(JAVA_LONG, MAX, sliceMaxNs);
    value.set(JAVA_INT, CLS, taskClass);
    int rc;
    try {
      rc = (int) lib.mapUpdateElem.invokeExact(fd, key, value, BPF_ANY);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    if (rc < 0) {
      refused++; // E2BIG: the map is full; the task keeps going through Java, which knows its class
      return false;
    }
    return true;
  }

  @Override
  public synchronized void remove(int pid) {
    if (closed) return;
    key.set(JAVA_INT, 0, pid);
    int rc;
    try {
      rc = (int) lib.mapDeleteElem.invokeExact(fd, key);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    if (rc < 0 && rc != -ENOENT) refused++;
  }

  /** Before the object (and with it the map's fd) is closed. */
  synchronized void close() {
    closed = true;
  }

  /** Updates the kernel refused (a full map). */
  long refused() {
    return refused;
  }
}
