package javaland.telemetry.psi;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javaland.telemetry.os.Libc;

/**
 * A PSI trigger (Documentation/accounting/psi.rst, "Monitoring for pressure thresholds"): the
 * kernel wakes us when tasks were stalled on a resource for more than {@code stall} within any
 * {@code window}, at most once per window, instead of us polling the averages.
 *
 * <p>Set up by writing {@code "some 150000 1000000"} (stall and window in microseconds, NUL
 * included: the kernel overwrites the last byte written with one) to the pressure file opened
 * read-write, then waiting in {@code poll(2)} for {@code POLLPRI}. Java's I/O cannot wait for
 * POLLPRI on a regular file, so this calls libc through FFM. One trigger per open file; close
 * it to remove it.
 *
 * <p>Who may: root (CAP_SYS_RESOURCE) with any window of 0.5 s to 10 s; since Linux 6.5 also
 * unprivileged users, with windows that are multiples of 2 s, on files they can open for
 * writing ({@code /proc/pressure/*} are 0666; a cgroup's files belong to its owner). Failures
 * are {@link PsiTriggerException}s that say which of these it was.
 *
 * <p>{@link #await} blocks in native code: call it from a platform thread (a virtual thread
 * would pin its carrier). {@link #close} from any thread wakes a waiting {@code await}.
 */
public final class PsiTrigger implements AutoCloseable {
  /** The kernel's bounds on the window (WINDOW_MIN_US, WINDOW_MAX_US). */
  public static final Duration MIN_WINDOW = Duration.ofMillis(500);
  public static final Duration MAX_WINDOW = Duration.ofSeconds(10);
  private static final int CAP_SYS_RESOURCE = 24;

  private final Path file;
  private final String spec;
  private final int fd;
  private final int wakeFd;
  private final ReentrantLock polling = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong events = new AtomicLong();

  private PsiTrigger(Path file, String spec, int fd, int wakeFd) {
    this.file = file;
    this.spec = spec;
    this.fd = fd;
    this.wakeFd = wakeFd;
  }

  /**
   * A trigger on {@code file} (e.g. {@code /proc/pressure/memory}, or a cgroup's
   * {@code memory.pressure}) that fires when the {@code kind} stall exceeds {@code stall} within
   * {@code window}. Checks the kernel's rules first (0.5 s ≤ window ≤ 10 s, 0 < stall ≤
   * window, and without CAP_SYS_RESOURCE a window that is a multiple of 2 s).
   */
  public static PsiTrigger open(Path file, PsiKind kind, Duration stall, Duration window) throws PsiTriggerException {
    if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
      throw new PsiTriggerException("PSI trigger window must be 500 ms to 10 s, got " + window.toMillis() + " ms", 0);
    }
    long stallUs = stall.toNanos() / 1000;
    long windowUs = window.toNanos() / 1000;
    if (stallUs <= 0 || stallUs > windowUs) {
      throw new PsiTriggerException("PSI trigger stall threshold must be > 0 and at most the window ("
          + windowUs + " us), got " + stallUs + " us", 0);
    }
    if (windowUs % 2_000_000 != 0 && !hasCapSysResource()) {
      throw new PsiTriggerException("not permitted to set a PSI trigger with a " + window.toMillis() + " ms window on "
          + file + ": windows that are not a multiple of 2 s need CAP_SYS_RESOURCE, which this process lacks"
          + " (CapEff in /proc/self/status); use 2 s, 4 s... (Linux 6.5+)", PsiTriggerException.EPERM);
    }
    return open(file, kind.label() + " " + stallUs + " " + windowUs);
  }

  /**
   * Whether this process has CAP_SYS_RESOURCE (from {@code /proc/self/status}), which the kernel
   * requires for trigger windows that are not a multiple of 2 s. Root in a container often lacks it.
   */
  public static boolean hasCapSysResource() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          return (caps & (1L << CAP_SYS_RESOURCE)) != 0;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // unknown: let the kernel decide
      return true;
    }
    return true;
  }

  /**
   * A trigger from a raw spec as the kernel reads it: {@code "<some|full> <stall us> <window us>"}.
   * The kernel validates it; its refusal is explained in the exception.
   */
  public static PsiTrigger open(Path file, String spec) throws PsiTriggerException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment errno = Libc.errnoSlot(a);
      int fd = Libc.open(errno, a.allocateFrom(file.toString()), Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
      if (fd < 0) {
        int e = Libc.errno(errno);
        throw new PsiTriggerException(openFailure(file, e), e);
      }
      MemorySegment text = a.allocateFrom(spec); // NUL-terminated; the NUL is written too
      long n = Libc.write(errno, fd, text, text.byteSize());
      if (n < 0) {
        int e = Libc.errno(errno);
        Libc.close(fd);
        throw new PsiTriggerException(writeFailure(file, spec, e), e);
      }
      int wake = Libc.eventfd(errno, 0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
      if (wake < 0) {
        int e = Libc.errno(errno);
        Libc.close(fd);
        throw new PsiTriggerException("eventfd: " + Libc.strerror(e), e);
      }
      return new PsiTrigger(file, spec, fd, wake);
    }
  }

  public Path file() {
    return file;
  }

  /** The spec written to the kernel, e.g. "some 150000 1000000". */
  public String spec() {
    return spec;
  }

  /** How many times {@link #await} has seen the threshold crossed. */
  public long events() {
    return events.get();
  }

  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Waits until the threshold is crossed (true), {@code timeout} passes or the trigger is
   * closed (false). Throws if the kernel reports the trigger broken (POLLERR: the cgroup was
   * removed) or poll fails.
   */
  public boolean await(Duration timeout) throws PsiTriggerException {
    polling.lock();
    try {
      if (closed.get()) return false;
      long deadline = System.nanoTime() + Math.max(0, Math.min(timeout.toNanos(), Long.MAX_VALUE / 4));
      try (Arena a = Arena.ofConfined()) {
        MemorySegment errno = Libc.errnoSlot(a);
        MemorySegment fds = a.allocate(2 * Libc.POLLFD_SIZE, 4);
        while (true) {
          fds.set(JAVA_INT, 0, fd);
          fds.set(JAVA_SHORT, 4, Libc.POLLPRI);
          fds.set(JAVA_SHORT, 6, (short) 0);
          fds.set(JAVA_INT, 8, wakeFd);
          fds.set(JAVA_SHORT, 12, Libc.POLLIN);
          fds.set(JAVA_SHORT, 14, (short) 0);
          long left = deadline - System.nanoTime();
          int ms = left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
          int n = Libc.poll(errno, fds, 2, ms);
          if (n < 0) {
            int e = Libc.errno(errno);
            if (e == Libc.EINTR) continue;
            throw new PsiTriggerException("poll on " + file + ": " + Libc.strerror(e), e);
          }
          short trig = fds.get(JAVA_SHORT, 6);
          short wake = fds.get(JAVA_SHORT, 14);
          if (wake != 0 || closed.get()) return false;
          if ((trig & (Libc.POLLERR | Libc.POLLNVAL | Libc.POLLHUP)) != 0) {
            throw new PsiTriggerException("PSI trigger on " + file + " is gone (poll revents 0x"
                + Integer.toHexString(trig & 0xffff) + "): the cgroup was removed?", 0);
          }
          if ((trig & Libc.POLLPRI) != 0) {
            events.incrementAndGet();
            return true;
          }
          if (n == 0) return false; // timed out
        }
      }
    } finally {
      polling.unlock();
    }
  }

  /**
   * Runs {@code onEvent} on a daemon platform thread named {@code threadName} each time the
   * threshold is crossed, until the trigger is closed; a failure goes to {@code onError} and
   * ends the thread. Returns the thread (started).
   */
  public Thread watch(String threadName, Runnable onEvent, Consumer<Throwable> onError) {
    Thread t = Thread.ofPlatform().name(threadName).daemon(true).unstarted(() -> {
      try {
        while (!closed.get()) {
          if (await(Duration.ofSeconds(1))) onEvent.run();
        }
      } catch (Throwable e) {
        if (!closed.get()) onError.accept(e);
      }
    });
    t.start();
    return t;
  }

  /** Removes the trigger; wakes a thread waiting in {@link #await}. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try (Arena a = Arena.ofConfined()) {
      MemorySegment one = a.allocate(JAVA_LONG);
      one.set(JAVA_LONG, 0, 1L);
      Libc.write(Libc.errnoSlot(a), wakeFd, one, 8);
    }
    polling.lock(); // wait for a poll in progress to return
    try {
      Libc.close(fd);
      Libc.close(wakeFd);
    } finally {
      polling.unlock();
    }
  }

  private static String openFailure(Path file, int e) {
    String why = Libc.strerror(e);
    return switch (e) {
      case 2 -> "cannot set a PSI trigger: " + file + " does not exist (no PSI on this kernel, or no such resource)";
      case PsiTriggerException.EACCES, PsiTriggerException.EPERM -> "not permitted to set a PSI trigger on " + file
          + ": opening it for writing failed (" + why + "). Triggers need write access to the file: root, or"
          + " the owner of the cgroup; /proc/pressure/* are world-writable only since Linux 6.5";
      case PsiTriggerException.EROFS -> "not permitted to set a PSI trigger on " + file + ": " + why
          + " (/proc or the cgroup file system is mounted read-only, as in many containers)";
      default -> "cannot open " + file + " read-write for a PSI trigger: " + why;
    };
  }

  private static String writeFailure(Path file, String spec, int e) {
    String why = Libc.strerror(e);
    return switch (e) {
      case PsiTriggerException.EPERM, PsiTriggerException.EACCES -> "not permitted to set PSI trigger '" + spec
          + "' on " + file + " (" + why + "): needs CAP_SYS_RESOURCE, or Linux 6.5+ and a window that is a"
          + " multiple of 2 s";
      case 22 -> "the kernel refused PSI trigger '" + spec + "' on " + file + " (" + why + "): expected"
          + " '<some|full> <stall us> <window us>' with a window of 500000..10000000 us (without"
          + " CAP_SYS_RESOURCE: a multiple of 2000000) and 0 < stall <= window";
      case 16 -> "a PSI trigger is already set on this descriptor of " + file + " (" + why + ")";
      case 95 -> "PSI is disabled for " + file + " (" + why + "): booted with psi=0, or cgroup.pressure is 0";
      default -> "writing PSI trigger '" + spec + "' to " + file + " failed: " + why;
    };
  }

  @Override
  public String toString() {
    return "PsiTrigger[" + file + ": " + spec + (closed.get() ? ", closed" : "") + "]";
  }
}
