package javaland.runtime.rules;

import javaland.sdk.TaskClass;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.TaskClassSink;
import javaland.runtime.kernel.TaskInfo;

/**
 * Classifies tasks by the rules, once per task, so that no rule is evaluated per dispatch.
 *
 * <p>The dispatch thread calls {@link #classify} on every batch: it looks each task up in a
 * cache keyed by pid (open addressing on primitive arrays, owned by the dispatch thread alone)
 * and copies the cached classification into the batch. A task that is not cached, whose command
 * name changed since (exec), or whose entry predates the rule set in force, is queued to the
 * resolver: a task not cached gets the default class meanwhile; a task cached under older rules
 * keeps its old class until the new one arrives. The resolver ({@link #start}, or
 * {@link #resolvePending} called directly) reads the task's attributes from the kernel,
 * evaluates the rules and sends the result back. Both directions are single-producer
 * single-consumer rings of preallocated slots: the dispatch thread neither allocates nor waits
 * (a full request ring just retries on the task's next dispatch).
 *
 * <p>A reused pid would keep the class of the task that had it before, so the resolver re-reads
 * the tasks it classified every {@code sweepMs} and invalidates those that are gone or started
 * anew.
 *
 * <p>The resolver also hands every task that has a class to the kernel half ({@link
 * TaskClassSink}), so that BPF can act on it without a round trip (a latency-critical task that
 * wakes up is placed by BPF itself), and takes it back when no rule matches any more, when the
 * task is gone or its pid reused, when its command name changed (checked with the sweep), and,
 * for every task it handed down, as soon as the rules change: such a task may never come
 * through the dispatch thread again to be asked about.
 */
public final class TaskClassifier implements AutoCloseable {
  private static final int PROBES = 8;
  private static final byte EMPTY = 0;
  private static final byte PENDING = 1; // asked for, no answer yet
  private static final byte RESOLVED = 2;
  private static final byte STALE = 3;   // invalidated: the next dispatch asks again
  private static final long IDLE_PARK_NS = 100_000_000L;

  private final Supplier<RuleSet> rules;
  private final IntFunction<Optional<TaskInfo>> taskInfo;

  // The cache: dispatch thread only.
  private final int mask;
  private final int[] keyPid;
  private final long[] keyComm;
  private final long[] entryVersion;
  private final byte[] state;
  private final boolean[] refreshing;
  private final Rule.Action[] action;

  // Requests: dispatch thread -> resolver.
  private final int ringMask;
  private final int[] reqPid;
  private final long[] reqComm;
  private final AtomicLong reqHead = new AtomicLong(); // next to write (dispatch thread)
  private final AtomicLong reqTail = new AtomicLong(); // next to read (resolver)

  // Results: resolver -> dispatch thread. A result with version -1 invalidates the pid.
  private final int[] resPid;
  private final long[] resComm;
  private final long[] resVersion;
  private final Rule.Action[] resAction;
  private final AtomicLong resHead = new AtomicLong();
  private final AtomicLong resTail = new AtomicLong();

  // Counters. hits/misses/requests: written by the dispatch thread; the rest by the resolver.
  private volatile long hits;
  private volatile long misses;
  private volatile long dropped;
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong regexRuns = new AtomicLong();

  // Resolver side only.
  private final Map<Integer, Long> started = new HashMap<>();
  // Every pid resolved (resolver thread): under new rules each is classified again, not only those
  // the kernel holds a class for, since a task the kernel places itself may never come back to Java.
  private final java.util.Set<Integer> seen = new java.util.HashSet<>();
  private final TaskClassSink kernel;
  private final Map<Integer, Pushed> pushed = new HashMap<>(); // what the kernel holds
  private long pushedVersion = -1;
  private volatile int pushedCount;
  private volatile long kernelRefused;
  private final long sweepNs;
  private long lastSweepNs = System.nanoTime();
  private volatile Thread resolver;
  private volatile boolean closed;

  /**
   * @param cacheSlots cache size (a power of two; 32768 holds a busy machine's tasks)
   * @param ringSlots request and result ring size (a power of two)
   */
  public TaskClassifier(Supplier<RuleSet> rules, IntFunction<Optional<TaskInfo>> taskInfo, int cacheSlots,
      int ringSlots, long sweepMs) {
    this(rules, taskInfo, TaskClassSink.NONE, cacheSlots, ringSlots, sweepMs);
  }

  /**
   * @param kernel where each classified task's class goes down to the kernel half (resolver
   *     thread only)
   */
  public TaskClassifier(Supplier<RuleSet> rules, IntFunction<Optional<TaskInfo>> taskInfo, TaskClassSink kernel,
      int cacheSlots, int ringSlots, long sweepMs) {
    this.kernel = kernel;
    if (Integer.bitCount(cacheSlots) != 1 || Integer.bitCount(ringSlots) != 1) {
      throw new IllegalArgumentException("cache and ring sizes must be powers of two");
    }
    this.rules = rules;
    this.taskInfo = taskInfo;
    this.sweepNs = sweepMs * 1_000_000L;
    mask = cacheSlots - 1;
    keyPid = new int[cacheSlots];
    keyComm = new long[cacheSlots];
    entryVersion = new long[cacheSlots];
    state = new byte[cacheSlots];
    refreshing = new boolean[cacheSlots];
    action = new Rule.Action[cacheSlots];
    ringMask = ringSlots - 1;
    reqPid = new int[ringSlots];
    reqComm = new long[ringSlots];
    resPid = new int[ringSlots];
    resComm = new long[ringSlots];
    resVersion = new long[ringSlots];
    resAction = new Rule.Action[ringSlots];
  }

  public TaskClassifier(Supplier<RuleSet> rules, IntFunction<Optional<TaskInfo>> taskInfo) {
    this(rules, taskInfo, TaskClassSink.NONE);
  }

  public TaskClassifier(Supplier<RuleSet> rules, IntFunction<Optional<TaskInfo>> taskInfo, TaskClassSink kernel) {
    this(rules, taskInfo, kernel, 32_768, 4_096, 5_000);
  }

  // ---------------------------------------------------------------- dispatch thread

  /** Fills the batch's classification columns. Dispatch thread only; allocation-free. */
  public void classify(TaskBatch batch) {
    drainResults();
    long version = rules.get().version();
    boolean asked = false;
    int n = batch.size();
    long h = 0;
    long m = 0;
    for (int i = 0; i < n; i++) {
      int pid = batch.pid(i);
      long comm = batch.commHash(i);
      int slot = find(pid);
      if (slot >= 0 && keyComm[slot] == comm && state[slot] == RESOLVED) {
        Rule.Action a = action[slot];
        if (a == null) batch.classify(i, TaskClass.NONE, 0, 0, 0, null);
        else batch.classify(i, a.taskClass(), a.priority(), a.sliceMinNs(), a.sliceMaxNs(), a.preferredCpus());
        h++;
        if (entryVersion[slot] != version && !refreshing[slot] && request(pid, comm)) {
          refreshing[slot] = true;
          asked = true;
        }
        continue;
      }
      m++; // the batch already holds the default class (TaskBatch.add)
      if (slot >= 0 && keyComm[slot] == comm && state[slot] == PENDING) continue;
      if (request(pid, comm)) {
        if (slot < 0) slot = claim(pid);
        keyPid[slot] = pid;
        keyComm[slot] = comm;
        state[slot] = PENDING;
        refreshing[slot] = false;
        action[slot] = null;
        asked = true;
      }
    }
    hits += h;
    misses += m;
    Thread r = resolver;
    if (asked && r != null) LockSupport.unpark(r);
  }

  private int find(int pid) {
    int home = mix(pid) & mask;
    for (int k = 0; k < PROBES; k++) {
      int s = (home + k) & mask;
      if (keyPid[s] == pid) return s;
      if (keyPid[s] == 0) return -1;
    }
    return -1;
  }

  /** A free slot in {@code pid}'s probe window, or its home slot (evicting whatever is there). */
  private int claim(int pid) {
    int home = mix(pid) & mask;
    for (int k = 0; k < PROBES; k++) {
      int s = (home + k) & mask;
      if (keyPid[s] == 0 || state[s] == STALE) return s;
    }
    return home;
  }

  private static int mix(int pid) {
    int x = pid * 0x9E3779B9;
    return x ^ (x >>> 16);
  }

  private boolean request(int pid, long comm) {
    long head = reqHead.get();
    if (head - reqTail.get() > ringMask) {
      dropped++;
      return false;
    }
    int s = (int) (head & ringMask);
    reqPid[s] = pid;
    reqComm[s] = comm;
    reqHead.set(head + 1); // volatile write publishes the slot
    return true;
  }

  private void drainResults() {
    long tail = resTail.get();
    long head = resHead.get();
    while (tail < head) {
      int s = (int) (tail & ringMask);
      int pid = resPid[s];
      int slot = find(pid);
      if (resVersion[s] < 0) {
        if (slot >= 0) state[slot] = STALE;
      } else if (slot >= 0 && keyComm[slot] == resComm[s]) {
        // An answer for the command name the task had when asked; a newer one is still pending.
        state[slot] = RESOLVED;
        entryVersion[slot] = resVersion[s];
        action[slot] = resAction[s];
        refreshing[slot] = false;
      }
      resAction[s] = null;
      tail++;
    }
    resTail.set(tail);
  }

  // ---------------------------------------------------------------- resolver

  /** Classifies every queued task (as far as the result ring has room); returns how many. */
  public int resolvePending() {
    int done = 0;
    refreshPushed(rules.get());
    long tail = reqTail.get();
    long head = reqHead.get();
    while (tail < head && resHead.get() - resTail.get() <= ringMask) {
      int s = (int) (tail & ringMask);
      int pid = reqPid[s];
      long comm = reqComm[s];
      tail++;
      reqTail.set(tail);
      RuleSet rs = rules.get();
      // No rules: nothing to read (a later rule change asks again for every task).
      Optional<TaskInfo> info = rs.rules().isEmpty() ? Optional.empty() : taskInfo.apply(pid);
      Rule.Action a = null;
      if (info.isPresent()) {
        evaluations.incrementAndGet();
        Rule r = rs.firstMatch(info.get(), regexRuns);
        a = r == null ? null : r.action();
        started.put(pid, info.get().startTicks());
      }
      push(pid, info, a);
      publish(pid, comm, rs.version(), a);
      seen.add(pid);
      done++;
    }
    return done;
  }

  private record Pushed(long startTicks, String comm) {}

  /** Tells the kernel half the task's class, or that it has none. */
  private void push(int pid, Optional<TaskInfo> info, Rule.Action a) {
    if (kernel == TaskClassSink.NONE) return; // nothing to keep in step
    if (a != null && info.isPresent()) {
      TaskInfo t = info.get();
      if (kernel.put(pid, t.startTicks(), a.taskClass().id(), a.sliceMinNs(), a.sliceMaxNs())) {
        pushed.put(pid, new Pushed(t.startTicks(), t.comm()));
      } else {
        kernelRefused++;
        if (pushed.remove(pid) != null) kernel.remove(pid);
      }
    } else if (pushed.remove(pid) != null) {
      kernel.remove(pid);
    }
    pushedCount = pushed.size();
  }

  /** Under new rules, classifies again every task seen (the kernel's copy; Java's cache refreshes on its next lookup); forgets those gone. */
  private void refreshPushed(RuleSet rs) {
    if (rs.version() == pushedVersion) return;
    pushedVersion = rs.version();
    java.util.Set<Integer> all = new java.util.HashSet<>(seen);
    all.addAll(pushed.keySet());
    for (Integer pid : all) {
      if (!reclassify(pid, rs) && !rs.rules().isEmpty()) seen.remove(pid);
    }
  }

  /** Whether the task could be read (false: gone, or no rules to read it for). */
  private boolean reclassify(int pid, RuleSet rs) {
    Optional<TaskInfo> info = rs.rules().isEmpty() ? Optional.empty() : taskInfo.apply(pid);
    Rule.Action a = null;
    if (info.isPresent()) {
      evaluations.incrementAndGet();
      Rule r = rs.firstMatch(info.get(), regexRuns);
      a = r == null ? null : r.action();
    }
    push(pid, info, a);
    return info.isPresent();
  }

  private void publish(int pid, long comm, long version, Rule.Action a) {
    long head = resHead.get();
    int s = (int) (head & ringMask);
    resPid[s] = pid;
    resComm[s] = comm;
    resVersion[s] = version;
    resAction[s] = a;
    resHead.set(head + 1);
  }

  /**
   * Invalidates classified tasks that are gone or whose pid now belongs to another task.
   * Returns how many were invalidated (as far as the result ring had room).
   */
  public int sweep() {
    int n = 0;
    for (Iterator<Map.Entry<Integer, Long>> it = started.entrySet().iterator(); it.hasNext(); ) {
      if (resHead.get() - resTail.get() > ringMask) break;
      Map.Entry<Integer, Long> e = it.next();
      Optional<TaskInfo> now = taskInfo.apply(e.getKey());
      if (now.isEmpty() || now.get().startTicks() != e.getValue()) {
        it.remove();
        if (pushed.remove(e.getKey()) != null) kernel.remove(e.getKey());
        publish(e.getKey(), 0, -1, null);
        n++;
      }
    }
    // An exec changes the command name; a task the kernel places itself may never be asked about.
    RuleSet rs = rules.get();
    for (Map.Entry<Integer, Pushed> e : java.util.List.copyOf(pushed.entrySet())) {
      Optional<TaskInfo> now = taskInfo.apply(e.getKey());
      if (now.isEmpty() || now.get().startTicks() != e.getValue().startTicks()) {
        pushed.remove(e.getKey());
        kernel.remove(e.getKey());
      } else if (!now.get().comm().equals(e.getValue().comm())) {
        reclassify(e.getKey(), rs);
      }
    }
    pushedCount = pushed.size();
    return n;
  }

  /** Runs the resolver on its own daemon thread. */
  public synchronized TaskClassifier start() {
    if (resolver != null) throw new IllegalStateException("already started");
    resolver = Thread.ofPlatform().name("javaland-classifier").daemon(true).start(() -> {
      while (!closed) {
        int n = resolvePending();
        long now = System.nanoTime();
        if (now - lastSweepNs >= sweepNs) {
          lastSweepNs = now;
          sweep();
        }
        // Idle, it sleeps until the dispatch thread asks (classify unparks it), the sweep is due,
        // or IDLE_PARK_NS passed (a rule change reaches the tasks BPF holds a class for within
        // that). It polled every 5 ms before: 0.64 s of CPU in a 15 s sysbench run under TCG,
        // a sixth of all the scheduler process used.
        if (n == 0) LockSupport.parkNanos(Math.max(1, Math.min(IDLE_PARK_NS, lastSweepNs + sweepNs - System.nanoTime())));
      }
    });
    return this;
  }

  @Override
  public void close() {
    closed = true;
    Thread r = resolver;
    if (r != null) LockSupport.unpark(r);
  }

  /** Lookups that found the task classified. */
  public long hits() {
    return hits;
  }

  /** Lookups that did not (the task got the default class, or its old one under new rules). */
  public long misses() {
    return misses;
  }

  /** Requests not queued because the ring was full (retried on the task's next dispatch). */
  public long dropped() {
    return dropped;
  }

  /** Tasks whose class the kernel half holds now. */
  public int kernelClasses() {
    return pushedCount;
  }

  /** Classes the kernel half could not take (its table was full). */
  public long kernelRefused() {
    return kernelRefused;
  }

  /** Rule-set evaluations, one per classified task (and per re-evaluation of a class the kernel holds). */
  public long evaluations() {
    return evaluations.get();
  }

  /** Regular-expression evaluations (comm and exe matches). */
  public long regexRuns() {
    return regexRuns.get();
  }
}
