package javaland.runtime.kernel.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.SchedEventListener;

/**
 * Drains the scheduler's event ring ({@code sched_events}, bpf/sched_events.h) on its own
 * thread and hands the events to a {@link SchedEventListener}. Never on the dispatch thread:
 * the BPF side submits without waking anyone, and this thread looks every
 * {@link #POLL_MS} ms, so recording costs the scheduler no wakeups.
 *
 * <p>Announces each task to the listener before its first event, and again when its tgid, comm
 * (exec) or weight changed. The kernel's count of events it dropped (ring full) becomes
 * {@link SchedEventListener#lost} calls, placed after the last event read before the count rose.
 */
public final class SchedEventReader implements AutoCloseable {
  /** Ring size when recording: about 150 000 events, some seconds of a busy machine. */
  public static final int RING_BYTES = 8 << 20;
  static final int POLL_MS = 10;
  private static final int EVENT_SIZE = (int) Wire.SCHED_EVENT.byteSize();
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final long LOST = Wire.off(Wire.TRACE_COUNTERS, "lost");
  private static final long EVENTS = Wire.off(Wire.TRACE_COUNTERS, "events");

  /** What the listener was last told about a pid. */
  private record Known(int tgid, byte[] comm, int weight, Exemption exempt) {}

  private final RingBufferReader ring;
  private final MemorySegment counters;
  private final SchedEventListener listener;
  private final Map<Integer, Known> known = new HashMap<>();
  private final byte[] comm = new byte[Wire.COMM_LEN];
  private final RingBufferReader.RecordSink sink = this::decode;
  private Thread thread;
  private volatile boolean stopping;
  private volatile Throwable failure;
  private long lostSeen;
  private long lastTs;
  private long delivered;
  // delivered as of the last drain, for other threads while the reader runs: one volatile write a
  // drain, not one an event
  private volatile long deliveredPublished;
  private long malformed;

  SchedEventReader(RingBufferReader ring, MemorySegment counters, SchedEventListener listener) {
    this.ring = ring;
    this.counters = counters;
    this.listener = listener;
  }

  /** The reader of {@code obj}'s event ring, loaded with {@code trace_enabled} set. */
  static SchedEventReader of(BpfObject obj, LiveSection bss, SchedEventListener listener) {
    return new SchedEventReader(obj.ringBufferReader("sched_events"),
        bss.variable("trace_counters", Wire.TRACE_COUNTERS), listener);
  }

  /** Starts the draining thread. */
  public synchronized void start() {
    if (thread != null) throw new IllegalStateException("already started");
    thread = Thread.ofPlatform().name("javaland-sched-events").daemon().start(this::loop);
  }

  private void loop() {
    while (!stopping) {
      try {
        if (drain() == 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
      } catch (Throwable t) {
        failure = t; // the ring fills up and the kernel counts what it drops
        return;
      }
    }
  }

  /** Reads every event waiting now; returns how many. Only from one thread at a time. */
  public int drain() {
    int total = 0;
    int n;
    while ((n = ring.read(sink, 4096)) > 0) total += n;
    deliveredPublished = delivered;
    long lost = (long) LONG.getVolatile(counters, LOST);
    if (lost > lostSeen) {
      listener.lost(lastTs, lost - lostSeen);
      lostSeen = lost;
    }
    return total;
  }

  private void decode(MemorySegment data, long at, int length) {
    if (length < EVENT_SIZE) {
      malformed++;
      return;
    }
    long ts = data.get(ValueLayout.JAVA_LONG, at + Wire.EV_TS);
    int pid = data.get(ValueLayout.JAVA_INT, at + Wire.EV_PID);
    int tgid = data.get(ValueLayout.JAVA_INT, at + Wire.EV_TGID);
    int cpu = data.get(ValueLayout.JAVA_INT, at + Wire.EV_CPU);
    int arg = data.get(ValueLayout.JAVA_INT, at + Wire.EV_ARG);
    int weight = data.get(ValueLayout.JAVA_INT, at + Wire.EV_WEIGHT);
    int kind = data.get(ValueLayout.JAVA_SHORT, at + Wire.EV_KIND) & 0xffff;
    int flags = data.get(ValueLayout.JAVA_SHORT, at + Wire.EV_FLAGS) & 0xffff;
    boolean hasComm = kind == Wire.EV_ENABLE || kind == Wire.EV_RUNNABLE;
    if (hasComm) MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at + Wire.EV_COMM, comm, 0, Wire.COMM_LEN);
    // Only the events that carry a comm say whether the task is exempt; the others keep what was said.
    announce(pid, tgid, hasComm, weight, exemption(flags));
    lastTs = ts;
    delivered++;
    switch (kind) {
      case Wire.EV_ENABLE -> { } // the announcement was the point
      case Wire.EV_RUNNABLE -> listener.runnable(ts, cpu, pid, arg, (flags & Wire.EVF_WAKEUP) != 0);
      case Wire.EV_RUNNING -> listener.running(ts, cpu, pid, Math.max(0, arg) * 1000L);
      case Wire.EV_STOPPING -> listener.stopping(ts, cpu, pid, (arg & 1) != 0, (flags & Wire.EVF_DEAD) != 0,
          (arg >>> 1) * 1000L);
      default -> {
        malformed++;
        delivered--;
      }
    }
  }

  /** JL_EVF_EXEMPT and the kind beside it. */
  static Exemption exemption(int flags) {
    if ((flags & Wire.EVF_EXEMPT) == 0) return Exemption.NONE;
    if ((flags & Wire.EVF_EXEMPT_KTHREAD) != 0) return Exemption.KTHREAD;
    return switch (flags & Wire.EVF_EXEMPT_KIND_MASK) {
      case Wire.EVF_EXEMPT_DISPATCHER -> Exemption.DISPATCHER;
      case Wire.EVF_EXEMPT_PERCPU -> Exemption.PERCPU_KTHREAD;
      case Wire.EVF_EXEMPT_RECLAIM -> Exemption.RECLAIM_KTHREAD;
      default -> Exemption.JVM_THREAD;
    };
  }

  private void announce(int pid, int tgid, boolean hasComm, int weight, Exemption exemptFlag) {
    Known k = known.get(pid);
    Exemption exempt = hasComm ? exemptFlag : k != null ? k.exempt : Exemption.NONE;
    if (k != null && k.tgid == tgid && k.weight == weight && k.exempt == exempt
        && (!hasComm || Arrays.equals(k.comm, comm))) {
      return;
    }
    byte[] c = hasComm ? comm.clone() : k != null ? k.comm : new byte[0];
    known.put(pid, new Known(tgid, c, weight, exempt));
    listener.task(pid, tgid, cString(c), weight, exempt);
  }

  private static String cString(byte[] b) {
    int len = 0;
    while (len < b.length && b[len] != 0) len++;
    return new String(b, 0, len, StandardCharsets.UTF_8);
  }

  /** Events the kernel wrote into the ring (read or not). */
  public long kernelEvents() {
    return (long) LONG.getVolatile(counters, EVENTS);
  }

  /** Events the kernel dropped because the ring was full. */
  public long kernelLost() {
    return (long) LONG.getVolatile(counters, LOST);
  }

  /** Events handed to the listener, as of the last drain. */
  public long delivered() {
    return deliveredPublished;
  }

  /** Records too short or of an unknown kind, skipped. */
  public long malformed() {
    return malformed;
  }

  /** Why the draining thread stopped early (the listener threw), or null. */
  public Throwable failure() {
    return failure;
  }

  /** Stops the thread and reads what is left; call once the scheduler is detached. */
  @Override
  public synchronized void close() {
    stopping = true;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure == null && (thread == null || !thread.isAlive())) {
      try {
        drain();
      } catch (Throwable t) {
        failure = t;
      }
    }
  }
}
