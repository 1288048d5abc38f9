package javaland.telemetry.psi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls a PSI trigger needs, through FFM (java.lang.foreign): open, write, poll, close,
 * eventfd, strerror. Java's own I/O cannot wait for POLLPRI on a regular file. Linux x86-64 and
 * arm64 constants (the generic ones).
 */
@SuppressWarnings("restricted")
final class Native {
  static final int O_RDWR = 2;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;
  static final int EFD_NONBLOCK = 0x800;
  static final int EFD_CLOEXEC = 0x80000;
  static final short POLLIN = 0x1;
  static final short POLLPRI = 0x2;
  static final short POLLERR = 0x8;
  static final short POLLHUP = 0x10;
  static final short POLLNVAL = 0x20;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  /** struct pollfd { int fd; short events; short revents; } */
  static final long POLLFD_SIZE = 8;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

  // int open(const char *path, int flags, ...): variadic, the mode is the first variadic argument
  private static final MethodHandle OPEN = LINKER.downcallHandle(find("open"),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), ERRNO_OPTION);
  private static final MethodHandle WRITE = LINKER.downcallHandle(find("write"),
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
  private static final MethodHandle POLL = LINKER.downcallHandle(find("poll"),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_OPTION);
  private static final MethodHandle CLOSE = LINKER.downcallHandle(find("close"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle EVENTFD = LINKER.downcallHandle(find("eventfd"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_OPTION);
  private static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"),
      FunctionDescriptor.of(ADDRESS, JAVA_INT));

  private Native() {}

  private static MemorySegment find(String name) {
    return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
  }

  static MemorySegment errnoSlot(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  static int errno(MemorySegment slot) {
    return (int) ERRNO.get(slot, 0L);
  }

  /** Returns the fd, or -1 with errno in {@code errno}. */
  static int open(MemorySegment errno, MemorySegment path, int flags) {
    try {
      return (int) OPEN.invokeExact(errno, path, flags, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long write(MemorySegment errno, int fd, MemorySegment buf, long len) {
    try {
      return (long) WRITE.invokeExact(errno, fd, buf, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int poll(MemorySegment errno, MemorySegment fds, long nfds, int timeoutMs) {
    try {
      return (int) POLL.invokeExact(errno, fds, nfds, timeoutMs);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int eventfd(MemorySegment errno, int initval, int flags) {
    try {
      return (int) EVENTFD.invokeExact(errno, initval, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static void close(int fd) {
    try {
      int unused = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
