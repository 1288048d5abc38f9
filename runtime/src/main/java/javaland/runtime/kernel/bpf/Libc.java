package javaland.runtime.kernel.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** The few libc calls the BPF backend needs: mmap, epoll, mlockall, sched_yield, gettid. */
public final class Libc {
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int MAP_SHARED = 1;
  public static final int MCL_CURRENT = 1;
  public static final int MCL_FUTURE = 2;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLLIN = 1;
  private static final int EPOLL_CLOEXEC = 0x80000;
  private static final int EINTR = 4;
  static final long MAP_FAILED = -1L;

  private static final SymbolLookup LIBC = Linker.nativeLinker().defaultLookup();
  private static final MethodHandle MMAP =
      Native.withErrno(LIBC, "mmap",
          FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
  private static final MethodHandle MUNMAP =
      Native.plain(LIBC, "munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle EPOLL_CREATE1 =
      Native.withErrno(LIBC, "epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle EPOLL_CTL =
      Native.withErrno(LIBC, "epoll_ctl",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  private static final MethodHandle EPOLL_WAIT =
      Native.plain(LIBC, "epoll_wait",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private static final MethodHandle CLOSE =
      Native.plain(LIBC, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle MLOCKALL =
      Native.withErrno(LIBC, "mlockall", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle SCHED_YIELD =
      Native.critical(LIBC, "sched_yield", FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle GETTID =
      Native.plain(LIBC, "gettid", FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle STRERROR =
      Native.plain(LIBC, "strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
  static final MethodHandle VSNPRINTF =
      Native.plain(LIBC, "vsnprintf",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));

  private Libc() {}

  /** Maps {@code length} bytes of {@code fd} at {@code offset}, unmapped when the arena closes. */
  public static MemorySegment mmap(Arena arena, int fd, long length, int prot, long offset, String what) {
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment errno = Native.newErrnoSlot(tmp);
      MemorySegment p = (MemorySegment) MMAP.invokeExact(
          errno, MemorySegment.NULL, length, prot, MAP_SHARED, fd, offset);
      if (p.address() == MAP_FAILED) {
        int e = Native.errno(errno);
        throw new BpfException("mmap of " + what + " (" + length + " bytes at " + offset + ")", -e, strerror(e));
      }
      return p.reinterpret(length, arena, seg -> munmap(seg, length));
    } catch (BpfException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private static void munmap(MemorySegment seg, long length) {
    try {
      int unused = (int) MUNMAP.invokeExact(seg, length);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** An epoll instance watching {@code fd} for input; returns the epoll fd. */
  public static int epollFor(int fd) {
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment errno = Native.newErrnoSlot(tmp);
      int ep = (int) EPOLL_CREATE1.invokeExact(errno, EPOLL_CLOEXEC);
      if (ep < 0) throw new BpfException("epoll_create1", -Native.errno(errno), strerror(Native.errno(errno)));
      MemorySegment ev = tmp.allocate(16);
      ev.set(JAVA_INT, 0, EPOLLIN);
      ev.set(JAVA_LONG.withByteAlignment(4), 4, fd);
      int rc = (int) EPOLL_CTL.invokeExact(errno, ep, EPOLL_CTL_ADD, fd, ev);
      if (rc < 0) {
        int e = Native.errno(errno);
        close(ep);
        throw new BpfException("epoll_ctl(ADD, fd " + fd + ")", -e, strerror(e));
      }
      return ep;
    } catch (BpfException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Waits for input; returns the number of ready fds, 0 on timeout or signal. Allocation-free. */
  public static int epollWait(int epfd, MemorySegment events, int timeoutMs) {
    try {
      int n = (int) EPOLL_WAIT.invokeExact(epfd, events, 1, timeoutMs);
      return Math.max(n, 0);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static void close(int fd) {
    try {
      int unused = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** mlockall(MCL_CURRENT | MCL_FUTURE); returns 0 or a negative errno. */
  public static int mlockall() {
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment errno = Native.newErrnoSlot(tmp);
      int rc = (int) MLOCKALL.invokeExact(errno, MCL_CURRENT | MCL_FUTURE);
      return rc == 0 ? 0 : -Native.errno(errno);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static void schedYield() {
    try {
      int unused = (int) SCHED_YIELD.invokeExact();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static int gettid() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  static boolean isEintr(int errno) {
    return errno == EINTR;
  }
}
