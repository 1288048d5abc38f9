package javaland.runtime.kernel.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.Kernel;
import javaland.runtime.kernel.KernelKnob;
import javaland.runtime.kernel.KernelParams;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.LatencyBuckets;
import javaland.runtime.kernel.ProgramCost;
import javaland.runtime.kernel.SchedEventListener;
import javaland.runtime.kernel.SysfsTopology;
import javaland.runtime.kernel.TaskBatch;
import javaland.telemetry.os.Libc;
import javaland.sdk.CpuTopology;

/**
 * The real kernel: our sched_ext program, attached through libbpf, with both rings read and
 * written directly in shared memory. See bpf/README.md for the kernel half.
 */
public final class BpfKernel implements Kernel {
  private static final String RESOURCE = "/javaland/bpf/javaland.bpf.o";
  private static final Path SCHED_EXT = Path.of("/sys/kernel/sched_ext");
  private static final int DECISION_SIZE = (int) Wire.DECISION.byteSize();
  private static final int QUEUED_SIZE = (int) Wire.QUEUED_TASK.byteSize();
  private static final int RECORD_FOOTPRINT = QUEUED_SIZE + 8;
  private static final java.lang.invoke.VarHandle INT = ValueLayout.JAVA_INT.varHandle();
  private static final long SLEEPING = Wire.off(Wire.PARAMS, "java_sleeping");

  private final BpfObject obj;
  private final CpuTopology topology;
  private final MemorySegment counters;
  private final MemorySegment schedDelay;
  private final MemorySegment exitSeg;
  private final MemorySegment idleMask;
  private final MemorySegment paramsSeg;
  private final RingBufferReader queued;
  private final UserRingBufferWriter decisions;
  private final TaskClassMap taskClasses;
  private final int epfd;
  private final MemorySegment epollEvents;
  private final String description;
  private final RingBufferReader.RecordSink filler = this::fill;
  private BpfLink link;
  private SchedEventReader events; // null unless recording
  private TaskBatch filling;
  private int decisionsSinceFlush;
  private long droppedDecisions;
  private long malformedRecords;
  private volatile KernelParams params;
  private volatile ExitInfo finalExit;

  private BpfKernel(BpfObject obj, KernelParams initial) {
    this.obj = obj;
    LiveSection bss = obj.liveSection(".bss");
    LiveSection data = obj.liveSection(".data");
    this.counters = bss.variable("counters", Wire.COUNTERS);
    this.exitSeg = bss.variable("exit_info", Wire.EXIT_INFO);
    this.schedDelay = bss.variable("sched_delay", Wire.SCHED_DELAY);
    this.idleMask = bss.variable("idle_mask", 8L * 16);
    this.paramsSeg = data.variable("params", Wire.PARAMS);
    this.queued = obj.ringBufferReader("queued");
    this.decisions = obj.userRingBufferWriter("decisions");
    this.taskClasses = new TaskClassMap(Libbpf.get(), obj.mapFd("task_classes"));
    this.epfd = Syscalls.epollFor(queued.fd());
    this.epollEvents = Arena.global().allocate(16);
    this.topology = SysfsTopology.ofThisMachine();
    this.description = "sched_ext on Linux " + osRelease() + " (libbpf " + Libbpf.get().version() + ")";
    this.params = initial; // written into the object before it loaded
  }

  /** Whether this kernel has sched_ext at all. */
  public static boolean available() {
    return Files.isDirectory(SCHED_EXT);
  }

  /** Reads {@code /sys/kernel/sched_ext/state}: "enabled", "disabled", ... or "absent". */
  public static String state() {
    try {
      return Files.readString(SCHED_EXT.resolve("state")).trim();
    } catch (IOException e) {
      return "absent";
    }
  }

  /**
   * Opens, loads and attaches the scheduler with the kernel half's knobs at {@code params} (written
   * into the object before it loads: the BPF program has no values of its own). {@code object}
   * null takes the one packaged in this jar. When {@code recorder} is not null, also records every
   * task's scheduling events to it from a thread of its own, from before the scheduler is attached
   * until {@link #close()} (bpf/sched_events.h). Throws with the verifier's or the kernel's reason
   * when anything fails; nothing stays attached then.
   */
  public static BpfKernel attach(Path object, KernelParams params, SchedEventListener recorder) {
    if (!available()) {
      throw new IllegalStateException("this kernel (" + osRelease() + ") has no sched_ext:"
          + " /sys/kernel/sched_ext is missing (needs CONFIG_SCHED_CLASS_EXT=y, Linux 6.13+)");
    }
    String state = state();
    if (!state.equals("disabled")) {
      throw new IllegalStateException("another sched_ext scheduler is active (state " + state
          + ", ops " + readOrEmpty(SCHED_EXT.resolve("root/ops")) + "); stop it first");
    }
    Path path = object != null ? object : extractPackagedObject();
    BpfObject obj = BpfObject.open(Libbpf.get(), path);
    BpfKernel kernel = null;
    try {
      obj.setRodataInt("sched_tgid", (int) ProcessHandle.current().pid());
      writeKnobs(obj.initialVariable(".data", "params", Wire.PARAMS.byteSize()), params);
      if (recorder != null) {
        obj.setRodataInt("trace_enabled", 1);
        obj.setMapMaxEntries("sched_events", SchedEventReader.RING_BYTES);
      }
      obj.load();
      kernel = new BpfKernel(obj, params);
      if (recorder != null) {
        // Started before the attach, which announces every task (ops.enable) into the ring.
        kernel.events = SchedEventReader.of(obj, obj.liveSection(".bss"), recorder);
        kernel.events.start();
      }
      kernel.link = obj.attachStructOps("javaland_ops");
      return kernel;
    } catch (RuntimeException e) {
      if (kernel != null && kernel.events != null) kernel.events.close();
      obj.close();
      throw e;
    } finally {
      if (object == null) {
        try {
          Files.deleteIfExists(path);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  private static Path extractPackagedObject() {
    try (InputStream in = BpfKernel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the BPF object " + RESOURCE + " is not in this build;"
            + " rebuild with clang >= 16 installed (./javaland build)");
      }
      Path tmp = Files.createTempFile("javaland-", ".bpf.o");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    } catch (IOException e) {
      throw new IllegalStateException("cannot extract the BPF object: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public CpuTopology topology() {
    return topology;
  }

  /**
   * The machine's busy time from /proc/stat (user, nice, system, irq, softirq, steal; ticks of
   * 10 ms, the USER_HZ of every Linux on x86-64); -1 if it cannot be read.
   */
  @Override
  public long cpuBusyNs() {
    try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("/proc/stat"))) {
      // the first line: "cpu  user nice system idle iowait irq softirq steal ..."; no regex (the canary reads it every window)
      java.util.StringTokenizer f = new java.util.StringTokenizer(r.readLine());
      if (f.countTokens() < 9 || !f.nextToken().equals("cpu")) return -1;
      long ticks = 0;
      for (int i = 1; i <= 8; i++) {
        long v = Long.parseLong(f.nextToken());
        if (i != 4 && i != 5) ticks += v; // not idle, not iowait
      }
      return ticks * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public long nowNs() {
    return System.nanoTime(); // CLOCK_MONOTONIC on Linux, the clock of bpf_ktime_get_ns
  }

  @Override
  public boolean cpuIdle(int cpu) {
    if (cpu < 0 || cpu >= 1024) return false;
    long word = idleMask.get(ValueLayout.JAVA_LONG, (cpu >>> 6) * 8L);
    return ((word >>> (cpu & 63)) & 1) != 0;
  }

  @Override
  public int backlog() {
    return (int) (queued.backlogBytes() / RECORD_FOOTPRINT);
  }

  @Override
  public int poll(TaskBatch batch, int timeoutMs) {
    batch.clear();
    filling = batch;
    int n = queued.read(filler, batch.capacity());
    if (n == 0 && timeoutMs > 0) {
      // Tell BPF we sleep, then look once more: BPF submits, then reads the flag, each side
      // with a full fence in between, so a record is never left behind with nobody awake.
      INT.setVolatile(paramsSeg, SLEEPING, 1);
      if (!queued.hasData()) Libc.epollWait(epfd, epollEvents, timeoutMs);
      INT.setVolatile(paramsSeg, SLEEPING, 0);
      queued.read(filler, batch.capacity());
    }
    return batch.size(); // malformed records are skipped, not handed to the policy
  }

  private void fill(MemorySegment data, long at, int length) {
    if (length < QUEUED_SIZE) {
      malformedRecords++;
      return;
    }
    Wire.readTask(data, at, filling);
  }

  @Override
  public void submit(TaskBatch batch) {
    int written = 0;
    for (int i = 0, n = batch.size(); i < n; i++) {
      if (!batch.decided(i)) continue;
      long r = decisions.reserve(DECISION_SIZE);
      for (int tries = 0; r < 0 && tries < 100; tries++) {
        // The kernel drains in dispatch(); yielding our CPU makes it run.
        Libc.schedYield();
        r = decisions.reserve(DECISION_SIZE);
      }
      if (r < 0) {
        droppedDecisions++; // the kernel rescues the task after rescue_ns
        continue;
      }
      Wire.writeDecision(decisions.data(), decisions.payloadOffset(r), batch, i);
      decisions.submit(r, DECISION_SIZE);
      written++;
    }
    // Decisions are visible to the kernel as soon as they are written; it applies them when a
    // CPU runs dispatch(). If more tasks are already waiting we stay busy, so yield once to let
    // this CPU drain what we wrote; otherwise we block in epoll next, which does the same.
    if (written > 0 && queued.hasData()) Libc.schedYield();
  }

  @Override
  public void registerDispatcherThread() {
    paramsSeg.set(ValueLayout.JAVA_INT, Wire.off(Wire.PARAMS, "dispatcher_tid"), Libc.gettid());
  }

  @Override
  public void tune(KernelParams p) {
    writeKnobs(paramsSeg, p);
    params = p;
  }

  @Override
  public KernelParams params() {
    return params;
  }

  /** Every knob into its field of {@code struct jl_params}, as wide as Wire.PARAMS declares it. */
  static void writeKnobs(MemorySegment jlParams, KernelParams p) {
    for (KernelKnob k : KernelKnob.values()) {
      long off = Wire.off(Wire.PARAMS, k.wireField());
      long v = p.get(k);
      if (Wire.size(Wire.PARAMS, k.wireField()) == 8) jlParams.set(ValueLayout.JAVA_LONG, off, v);
      else jlParams.set(ValueLayout.JAVA_INT, off, (int) v);
    }
    jlParams.set(ValueLayout.JAVA_LONG, Wire.off(Wire.PARAMS, "slice_floor_ns"), KernelKnob.DECISION_SLICE_MIN_NS);
    jlParams.set(ValueLayout.JAVA_LONG, Wire.off(Wire.PARAMS, "slice_cap_ns"), KernelKnob.DECISION_SLICE_MAX_NS);
  }

  private volatile long recordedEvents;
  private volatile long lostEvents;

  /** With a recorder: events handed to it (final once closed); else 0. */
  public long recordedEvents() {
    SchedEventReader e = events;
    return e != null && link != null ? e.delivered() : recordedEvents;
  }

  /** With a recorder: events the kernel dropped because the event ring was full; else 0. */
  public long lostEvents() {
    SchedEventReader e = events;
    return e != null && link != null ? e.kernelLost() : lostEvents;
  }

  /** With a recorder: why its thread stopped early (the recorder threw), or null. */
  public Throwable recorderFailure() {
    return events == null ? null : events.failure();
  }

  /** Decisions dropped because the decision ring stayed full (the kernel rescued those tasks). */
  public long droppedDecisions() {
    return droppedDecisions;
  }

  public long malformedRecords() {
    return malformedRecords;
  }

  @Override
  public KernelStats stats() {
    long[] hist = new long[Wire.RT_BUCKETS];
    long histBase = Wire.off(Wire.COUNTERS, "rt_hist");
    for (int i = 0; i < hist.length; i++) hist[i] = counters.get(ValueLayout.JAVA_LONG, histBase + 8L * i);
    return new KernelStats(
        counter("queued"), counter("user_dispatches"), counter("kernel_dispatches"),
        counter("idle_dispatches"), counter("exempt_dispatches"), counter("fallbacks"),
        counter("ring_full"), counter("congested"), counter("cancelled"), counter("bounced"),
        counter("heartbeats"), counter("preempted"), counter("class_dispatches"),
        counter("rule_dispatches"), counter("rule_lapsed"), counter("rule_yields"), counter("rule_requeues"),
        counter("slice_clamped"), counter("deadline_clamped"), counter("rt_count"),
        LatencyBuckets.quantile(hist, 0.50), LatencyBuckets.quantile(hist, 0.99),
        counter("rt_max_ns"));
  }

  @Override
  public List<ProgramCost> programCosts() {
    List<ProgramCost> costs = new ArrayList<>();
    for (var e : obj.programFds().entrySet()) {
      try {
        String info = Files.readString(Path.of("/proc/self/fdinfo/" + e.getValue()));
        costs.add(ProgramCost.fromFdinfo(e.getKey(), info));
      } catch (IOException | IllegalArgumentException ex) {
        return List.of(); // a kernel without the counts: nothing to say
      }
    }
    return costs;
  }

  @Override
  public long[] roundTripHistogram() {
    long[] hist = new long[Wire.RT_BUCKETS];
    long histBase = Wire.off(Wire.COUNTERS, "rt_hist");
    for (int i = 0; i < hist.length; i++) hist[i] = counters.get(ValueLayout.JAVA_LONG, histBase + 8L * i);
    return hist;
  }

  @Override
  public long roundTripSumNs() {
    return counter("rt_sum_ns");
  }

  @Override
  public long[][] schedDelayHistograms() {
    long base = Wire.off(Wire.SCHED_DELAY, "hist");
    long[][] out = new long[Wire.SD_CLASSES][Wire.RT_BUCKETS];
    for (int c = 0; c < Wire.SD_CLASSES; c++) {
      for (int i = 0; i < Wire.RT_BUCKETS; i++) {
        out[c][i] = schedDelay.get(ValueLayout.JAVA_LONG, base + 8L * ((long) c * Wire.RT_BUCKETS + i));
      }
    }
    return out;
  }

  @Override
  public long[] schedDelaySumsNs() {
    long base = Wire.off(Wire.SCHED_DELAY, "sum_ns");
    long[] out = new long[Wire.SD_CLASSES];
    for (int c = 0; c < Wire.SD_CLASSES; c++) out[c] = schedDelay.get(ValueLayout.JAVA_LONG, base + 8L * c);
    return out;
  }

  private static final java.util.Map<String, Long> COUNTER_OFFSETS = Wire.offsets(Wire.COUNTERS);

  private long counter(String name) {
    return counters.get(ValueLayout.JAVA_LONG, COUNTER_OFFSETS.get(name));
  }

  @Override
  public javaland.runtime.kernel.TaskClassSink taskClasses() {
    return taskClasses;
  }

  /** From /proc (not from BPF): called by the classifier thread, never on the dispatch thread. */
  @Override
  public Optional<javaland.runtime.kernel.TaskInfo> taskInfo(int pid) {
    return javaland.runtime.kernel.ProcTaskInfo.read(pid);
  }

  @Override
  public Optional<ExitInfo> exitInfo() {
    ExitInfo done = finalExit;
    if (done != null) return Optional.of(done);
    if (obj == null) return Optional.empty();
    long kind = exitSeg.get(ValueLayout.JAVA_LONG, 0);
    if (kind == 0) return Optional.empty();
    return Optional.of(new ExitInfo(kind,
        exitSeg.get(ValueLayout.JAVA_LONG, Wire.off(Wire.EXIT_INFO, "exit_code")),
        cString(Wire.off(Wire.EXIT_INFO, "reason"), 128),
        cString(Wire.off(Wire.EXIT_INFO, "msg"), 1024)));
  }

  private String cString(long offset, int max) {
    byte[] b = new byte[max];
    MemorySegment.copy(exitSeg, ValueLayout.JAVA_BYTE, offset, b, 0, max);
    int len = 0;
    while (len < max && b[len] != 0) len++;
    return new String(b, 0, len, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void detach() {
    if (link != null) {
      link.close(); // the kernel disables the scheduler and calls ops.exit before this returns
      link = null;
    }
  }

  @Override
  public synchronized void close() {
    if (link == null && finalExit != null) return;
    if (link != null) {
      link.close(); // the kernel disables the scheduler and calls ops.exit before this returns
      link = null;
    }
    finalExit = exitInfo().orElse(null);
    if (events != null) {
      events.close(); // detached: nothing more is written; read what is left
      recordedEvents = events.delivered();
      lostEvents = events.kernelLost();
    }
    taskClasses.close();
    Libc.close(epfd);
    obj.close();
  }

  private static String osRelease() {
    return readOrEmpty(Path.of("/proc/sys/kernel/osrelease"));
  }

  private static String readOrEmpty(Path p) {
    try {
      return Files.readString(p).trim();
    } catch (IOException e) {
      return "";
    }
  }
}
