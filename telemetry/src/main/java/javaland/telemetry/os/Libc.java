package javaland.telemetry.os;

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
 * The one binding of the C library (FFM, java.lang.foreign), for what Java's own I/O cannot do:
 * wait for POLLPRI on a PSI file (open, write, poll, eventfd: the PSI trigger), and map and wait
 * on BPF ring buffers, lock memory, yield and name the dispatch thread (mmap, epoll, mlockall,
 * sched_yield, gettid: the runtime's BPF backend). Linux x86-64 and arm64 constants (the generic
 * ones).
 *
 * <p>A call that sets errno takes an errno slot ({@link #errnoSlot}) as its first argument; the
 * value is read with {@link #errno} right after, before anything else can overwrite it.
 */
@SuppressWarnings("restricted")
public final class Libc {
  public static final int O_RDWR = 2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int EFD_NONBLOCK = 0x800;
  public static final int EFD_CLOEXEC = 0x80000;
  public static final short POLLIN = 0x1;
  public static final short POLLPRI = 0x2;
  public static final short POLLERR = 0x8;
  public static final short POLLHUP = 0x10;
  public static final short POLLNVAL = 0x20;
  /** struct pollfd { int fd; short events; short revents; } */
  public static final long POLLFD_SIZE = 8;
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int MAP_SHARED = 1;
  public static final long MAP_FAILED = -1L;
  public static final int MCL_CURRENT = 1;
  public static final int MCL_FUTURE = 2;
  public static final int EPOLL_CTL_ADD = 1;
  public static final int EPOLLIN = 1;
  public static final int EPOLL_CLOEXEC = 0x80000;
  public static final int SIGINT = 2;
  public static final int SIGTERM = 15;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

  // int open(const char *path, int flags, ...): variadic, the mode is the first variadic argument
  private static final MethodHandle OPEN = LINKER.downcallHandle(find("open"),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), ERRNO_OPTION);
  private static final MethodHandle WRITE = withErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle POLL = withErrno("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  private static final MethodHandle EVENTFD = withErrno("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle CLOSE = plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle STRERROR = plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
  private static final MethodHandle MMAP = withErrno("mmap",
      FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
  private static final MethodHandle MUNMAP = plain("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle EPOLL_CREATE1 = withErrno("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle EPOLL_CTL = withErrno("epoll_ctl",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  private static final MethodHandle EPOLL_WAIT = plain("epoll_wait",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private static final MethodHandle MLOCKALL = withErrno("mlockall", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  // called from the dispatch thread's hot path: no thread-state transition
  private static final MethodHandle SCHED_YIELD = LINKER.downcallHandle(find("sched_yield"),
      FunctionDescriptor.of(JAVA_INT), Linker.Option.critical(false));
  private static final MethodHandle GETTID = plain("gettid", FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle SIGNAL = plain("signal", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
  private static final MethodHandle VSNPRINTF = plain("vsnprintf",
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));

  private Libc() {}

  private static MemorySegment find(String name) {
    return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
  }

  private static MethodHandle withErrno(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(find(name), fd, ERRNO_OPTION);
  }

  private static MethodHandle plain(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(find(name), fd);
  }

  /** Room for the errno a call leaves, in {@code arena}. */
  public static MemorySegment errnoSlot(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  public static int errno(MemorySegment slot) {
    return (int) ERRNO.get(slot, 0L);
  }

  /** Returns the fd, or -1 with errno in {@code errno}. */
  public static int open(MemorySegment errno, MemorySegment path, int flags) {
    try {
      return (int) OPEN.invokeExact(errno, path, flags, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static long write(MemorySegment errno, int fd, MemorySegment buf, long len) {
    try {
      return (long) WRITE.invokeExact(errno, fd, buf, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int poll(MemorySegment errno, MemorySegment fds, long nfds, int timeoutMs) {
    try {
      return (int) POLL.invokeExact(errno, fds, nfds, timeoutMs);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int eventfd(MemorySegment errno, int initval, int flags) {
    try {
      return (int) EVENTFD.invokeExact(errno, initval, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static void close(int fd) {
    try {
      int unused = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** mmap(NULL, length, prot, MAP_SHARED, fd, offset): the address, or {@link #MAP_FAILED} with errno in {@code errno}. */
  public static MemorySegment mmapShared(MemorySegment errno, int fd, long length, int prot, long offset) {
    try {
      return (MemorySegment) MMAP.invokeExact(errno, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static void munmap(MemorySegment address, long length) {
    try {
      int unused = (int) MUNMAP.invokeExact(address, length);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Returns the epoll fd, or -1 with errno in {@code errno}. */
  public static int epollCreate1(MemorySegment errno, int flags) {
    try {
      return (int) EPOLL_CREATE1.invokeExact(errno, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Returns 0, or -1 with errno in {@code errno}. */
  public static int epollCtl(MemorySegment errno, int epfd, int op, int fd, MemorySegment event) {
    try {
      return (int) EPOLL_CTL.invokeExact(errno, epfd, op, fd, event);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Waits for input on one fd; returns the number of ready fds, 0 on timeout or signal. Allocation-free. */
  public static int epollWait(int epfd, MemorySegment events, int timeoutMs) {
    try {
      int n = (int) EPOLL_WAIT.invokeExact(epfd, events, 1, timeoutMs);
      return Math.max(n, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** mlockall(MCL_CURRENT | MCL_FUTURE); returns 0 or a negative errno. */
  public static int mlockall() {
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment errno = errnoSlot(tmp);
      int rc = (int) MLOCKALL.invokeExact(errno, MCL_CURRENT | MCL_FUTURE);
      return rc == 0 ? 0 : -errno(errno);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Gives signal {@code sig} its default action again. A process started in the background by a
   * non-interactive shell ({@code cmd &}) inherits SIGINT ignored, and the JVM will not install a
   * handler for a signal ignored at the moment it is asked to (sun.misc.Signal then silently does
   * nothing): reset first, then handle.
   */
  public static void defaultSignal(int sig) {
    try {
      MemorySegment unused = (MemorySegment) SIGNAL.invokeExact(sig, MemorySegment.NULL); // SIG_DFL
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static void schedYield() {
    try {
      int unused = (int) SCHED_YIELD.invokeExact();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int gettid() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** vsnprintf into {@code buf} of {@code size} bytes: a C library's printf-style callback (libbpf's log). */
  public static int vsnprintf(MemorySegment buf, long size, MemorySegment format, MemorySegment args) {
    try {
      return (int) VSNPRINTF.invokeExact(buf, size, format, args);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** A Throwable from invokeExact as what the caller may throw: runtime exceptions and errors as they are. */
  public static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
