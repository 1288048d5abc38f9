package javaland.runtime.kernel.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import javaland.telemetry.os.Libc;

/**
 * The BPF backend's two compound libc uses, over the one binding ({@link Libc}): mapping a map's
 * memory for the life of an arena, and an epoll instance on a ring buffer. A failure is a
 * {@link BpfException} with the errno, like libbpf's own.
 */
final class Syscalls {
  private Syscalls() {}

  /** Maps {@code length} bytes of {@code fd} at {@code offset} (shared), unmapped when the arena closes. */
  static MemorySegment mmap(Arena arena, int fd, long length, int prot, long offset, String what) {
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment errno = Libc.errnoSlot(tmp);
      MemorySegment p = Libc.mmapShared(errno, fd, length, prot, offset);
      if (p.address() == Libc.MAP_FAILED) {
        int e = Libc.errno(errno);
        throw new BpfException("mmap of " + what + " (" + length + " bytes at " + offset + ")", -e, Libc.strerror(e));
      }
      return p.reinterpret(length, arena, seg -> Libc.munmap(seg, length));
    }
  }

  /** An epoll instance watching {@code fd} for input; returns the epoll fd. */
  static int epollFor(int fd) {
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment errno = Libc.errnoSlot(tmp);
      int ep = Libc.epollCreate1(errno, Libc.EPOLL_CLOEXEC);
      if (ep < 0) throw new BpfException("epoll_create1", -Libc.errno(errno), Libc.strerror(Libc.errno(errno)));
      MemorySegment ev = tmp.allocate(16);
      ev.set(JAVA_INT, 0, Libc.EPOLLIN);
      ev.set(JAVA_LONG.withByteAlignment(4), 4, fd);
      if (Libc.epollCtl(errno, ep, Libc.EPOLL_CTL_ADD, fd, ev) < 0) {
        int e = Libc.errno(errno);
        Libc.close(ep);
        throw new BpfException("epoll_ctl(ADD, fd " + fd + ")", -e, Libc.strerror(e));
      }
      return ep;
    }
  }
}
