package javaland.lab.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javaland.sdk.CpuTopology;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.sim.Dist;
import javaland.runtime.kernel.sim.Program;
import javaland.runtime.kernel.sim.Workload;
import javaland.trace.ImportOptions;
import javaland.trace.ImportResult;
import javaland.trace.SchedEventRecorder;
import javaland.trace.TraceHeader;
import javaland.trace.TraceImporter;
import javaland.trace.TraceParseException;
import javaland.trace.TraceReader;
import javaland.trace.TraceRecord;
import javaland.trace.TraceSink;
import javaland.trace.TraceSummary;

/**
 * A trace turned into a {@link Workload} for the simulated kernel: per task, its CPU bursts, its
 * sleeps and the wakeups other traced tasks gave it, as a {@link Program} (see {@link TraceModel}
 * for the rules and docs/replay.md for what is kept and lost).
 *
 * <pre>{@code
 * TraceWorkload tw = TraceWorkload.load(Path.of("trace.txt"));        // .jlt or any text format, detected
 * Workload w = tw.workload(seed);                                     // cheap; as often as needed
 * ReplayResult r = Replay.run(tw, "deadline", Map.of(), Replay.Options.defaults());
 * }</pre>
 *
 * <p>The trace is streamed: a reader holds one chunk (binary) or one line (text), the model one
 * {@code long} per operation while reading. Afterwards the workload holds, per task, one
 * {@link Program} (about 32 bytes per operation plus a shared {@link Dist}, 32 bytes, per distinct
 * duration), the compact form (8 bytes per operation) and ~300 bytes; an operation is a burst, a
 * sleep, a wait or a post, 0.6 to 0.75 per event. Measured: 34 bytes of heap per event for a
 * trace with µs timestamps, 43 for one with ns timestamps (durations all distinct). Immutable and safe to share between threads once loaded.
 */
public final class TraceWorkload {
  /** The binary format's magic number (docs/trace-format.md). */
  private static final byte[] MAGIC = {(byte) 0x89, 'J', 'L', 'T', 'R', '\r', '\n', 0x1a};
  /** Every task's weight: traces do not carry nice levels (yet). */
  private static final int WEIGHT = 100;

  /**
   * How to read a trace.
   *
   * @param strict a malformed text line fails the load (TraceParseException: file, line, what was
   *     expected), and so does a binary trace cut short; otherwise lines are skipped and counted, and
   *     a truncated binary trace is read up to its last whole chunk
   * @param wakeupEdges model a wakeup by a traced task as a dependency (post/waitFor); false: every
   *     wakeup is a timed sleep
   * @param progress called every {@code progressIntervalNs} while reading, on the reading thread; null: never
   */
  public record Options(boolean strict, boolean wakeupEdges, ProgressListener progress, long progressIntervalNs) {
    public static Options defaults() {
      return new Options(false, true, null, 2_000_000_000L);
    }

    public Options withStrict(boolean s) {
      return new Options(s, wakeupEdges, progress, progressIntervalNs);
    }

    public Options withWakeupEdges(boolean e) {
      return new Options(strict, e, progress, progressIntervalNs);
    }

    public Options withProgress(ProgressListener p, long intervalNs) {
      return new Options(strict, wakeupEdges, p, intervalNs);
    }
  }

  @FunctionalInterface
  public interface ProgressListener {
    void progress(Progress p);
  }

  /** How far a load got: bytes of the file read, events consumed, wall-clock time so far. */
  public record Progress(String source, long bytesRead, long totalBytes, long events, long elapsedNs) {
    public double fraction() {
      return totalBytes <= 0 ? 0 : Math.min(1.0, (double) bytesRead / totalBytes);
    }
  }

  /**
   * What the trace held.
   *
   * @param source the file as given
   * @param format "javaland" for a binary trace, else the text format read (ftrace, trace-cmd, ...)
   * @param lines text lines read (a binary trace converted from text: the import's count; else 0)
   * @param skippedLines malformed lines skipped (lenient mode)
   * @param events scheduling events read (lost markers not counted)
   * @param lostEvents events the tracer reported dropping
   * @param lostMarkers lost-event markers
   * @param traceTasks distinct tasks the model saw (pid reuse counts twice), before dropping those that never ran
   * @param nrCpus CPUs of the traced machine (header, else the highest CPU named plus one)
   * @param spanNs first to last event
   * @param outOfOrder events earlier than the one before (treated as happening at that one's time)
   * @param truncated a binary trace ended without its end record (lenient mode only)
   * @param errors the first skipped lines' messages
   */
  public record TraceInfo(String source, String format, long lines, long skippedLines, long events, long lostEvents,
      long lostMarkers, int traceTasks, int nrCpus, long spanNs, long outOfOrder, boolean truncated, List<String> errors) {
    public TraceInfo {
      errors = List.copyOf(errors);
    }
  }

  /**
   * One task of the workload, for reports and tests.
   *
   * @param pid its pid in the trace
   * @param label its class: the trace's label, else "batch" if it ran at least as long as it slept, else "interactive"
   * @param startNs when it appears, from the trace's first event
   * @param bursts run operations (a burst split by a wakeup it made counts twice)
   * @param waits wakeups from traced tasks (waitFor); {@code sleeps} the timed ones
   * @param posts wakeups it gave traced tasks
   * @param exited it exited within the trace (else its program ends where the trace does)
   * @param groupBase index of the first task of its group (tasks linked by wakeups share one)
   * @param ops its program, one long per operation: kind (1 run, 2 sleep, 3 waitFor, 4 post) in bits
   *     60-63, duration in ns or the target's workload index below
   */
  public record TaskModel(int pid, String comm, String label, long startNs, long cpuNs, long sleepNs, int bursts,
      int sleeps, int waits, int posts, boolean exited, int groupBase, long[] ops) {
    /**
     * Whether and how the recording kernel dispatched it without asking the policy (its label,
     * see {@link SchedEventRecorder#exemption}): the replay does the same.
     */
    public Exemption exempt() {
      return SchedEventRecorder.exemption(label, comm);
    }

    /** Its program for people: "run 41.000us; post #3; waitFor; sleep 1.880ms". */
    public String describe() {
      StringBuilder s = new StringBuilder();
      for (long op : ops) {
        if (!s.isEmpty()) s.append("; ");
        long v = TraceModel.value(op);
        switch (TraceModel.kind(op)) {
          case TraceModel.OP_RUN -> s.append("run ").append(duration(v));
          case TraceModel.OP_SLEEP -> s.append("sleep ").append(duration(v));
          case TraceModel.OP_WAIT -> s.append("waitFor");
          default -> s.append("post #").append(v);
        }
      }
      return s.toString();
    }
  }

  private final String name;
  private final TraceInfo info;
  private final CpuTopology topology;
  private final List<TaskModel> tasks;
  private final List<Program> programs;
  private final long operations;
  private final int distinctDurations;
  private final long loadNs;
  private final ReplayResult.Delay traceDelay;

  private TraceWorkload(String name, TraceInfo info, CpuTopology topology, List<TaskModel> tasks, List<Program> programs,
      long operations, int distinctDurations, long loadNs, ReplayResult.Delay traceDelay) {
    this.name = name;
    this.info = info;
    this.topology = topology;
    this.tasks = List.copyOf(tasks);
    this.programs = List.copyOf(programs);
    this.operations = operations;
    this.distinctDurations = distinctDurations;
    this.loadNs = loadNs;
    this.traceDelay = traceDelay;
  }

  public static TraceWorkload load(Path file) throws IOException {
    return load(file, Options.defaults());
  }

  /**
   * Reads {@code file}: a binary javaland trace (by its magic number) or any text format the
   * importer reads (detected from its first lines). Throws {@link NoSuchFileException} for a
   * missing file, a {@link javaland.trace.TraceException} naming the file and the
   * line or byte for bad input (text lines only in strict mode).
   */
  public static TraceWorkload load(Path file, Options options) throws IOException {
    if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such trace file");
    if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "not a regular file");
    long started = System.nanoTime();
    long size = Files.size(file);
    String source = file.toString();
    TraceModel model = new TraceModel(options.wakeupEdges());
    boolean gzipped = TraceInput.isGzip(file);
    try (TraceInput.Counting raw = new TraceInput.Counting(Files.newInputStream(file));
        InputStream in = gzipped ? new TraceInput.Gunzip(raw, source) : raw) {
      Feed feed = new Feed(model, options, source, size, raw, started); // progress in bytes of the file
      TraceInfo info;
      CpuTopology topo = null;
      if (TraceInput.startsWith(file, gzipped, MAGIC)) {
        try (TraceReader r = new TraceReader(new BufferedInputStream(in, 1 << 16), source, !options.strict())) {
          for (TraceRecord rec; (rec = r.next()) != null; ) feed.accept(rec);
          TraceHeader h = r.header();
          TraceSummary s = r.summary();
          int cpus = h.nrCpus() > 0 ? h.nrCpus() : Math.max(s == null ? 0 : s.nrCpus(), model.maxCpu + 1);
          if (h.topology() != null && h.topology().nrCpus() == cpus) topo = h.topology();
          long lines = s == null ? 0 : parseLong(s.metadata().get("import.lines"));
          long skipped = s == null ? 0 : parseLong(s.metadata().get("import.skipped_lines"));
          info = new TraceInfo(source, "javaland", lines, skipped, model.events, model.lostEvents, model.lostMarkers,
              model.n, Math.max(1, cpus), model.now, model.outOfOrder, r.truncated(), List.of());
        }
      } else {
        ImportOptions io = options.strict() ? ImportOptions.strictly() : ImportOptions.lenient();
        ImportResult r = TraceImporter.importText(reader(in), source, io, feed);
        ImportResult.Skipped first = r.firstSkipped();
        if (r.parsedLines() == 0 && first != null) {
          // lenient import skips bad lines; a file of nothing else is not a trace at all
          throw new TraceParseException(source, first.line(), first.expected() + " (not one of its " + r.lines()
              + " lines is a scheduler event: is it a trace?)", first.text());
        }
        info = new TraceInfo(source, r.format().id(), r.lines(), r.skippedLines(), model.events, model.lostEvents,
            model.lostMarkers, model.n, Math.max(1, Math.max(r.nrCpus(), model.maxCpu + 1)), model.now,
            model.outOfOrder, false, r.errors());
      }
      model.end();
      if (topo == null) topo = CpuTopology.flat(info.nrCpus());
      return build(file.getFileName().toString(), info, topo, model, System.nanoTime() - started);
    }
  }

  /** Builds a workload from records already in memory or produced elsewhere (tests, other sources). */
  public static TraceWorkload fromRecords(String name, Iterable<? extends TraceRecord> records, int nrCpus, boolean wakeupEdges) {
    long started = System.nanoTime();
    TraceModel model = new TraceModel(wakeupEdges);
    for (TraceRecord r : records) model.accept(r);
    model.end();
    int cpus = Math.max(1, Math.max(nrCpus, model.maxCpu + 1));
    TraceInfo info = new TraceInfo(name, "records", 0, 0, model.events, model.lostEvents, model.lostMarkers, model.n,
        cpus, model.now, model.outOfOrder, false, List.of());
    return build(name, info, CpuTopology.flat(cpus), model, System.nanoTime() - started);
  }

  /**
   * Tasks that never ran (no CPU time, no wakeups given) are left out. The others are ordered by
   * pid (as the simulator numbers its tasks, so a recorded simulation comes back in its own order),
   * each group of tasks linked by wakeups kept together; then their programs are built, each
   * task's compact form dropped as it goes.
   */
  private static TraceWorkload build(String name, TraceInfo info, CpuTopology topo, TraceModel m, long loadNs) {
    int n = m.n;
    boolean[] keep = new boolean[n];
    for (int i = 0; i < n; i++) keep[i] = m.cpuNs[i] > 0 || m.posts[i] > 0;
    // Union-find over post edges: a group's members address each other relative to its first task.
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) parent[i] = i;
    for (int i = 0; i < n; i++) {
      if (!keep[i] || m.posts[i] == 0) continue;
      for (long op : m.ops[i] == null ? new long[0] : m.ops[i]) {
        if (op == 0 || TraceModel.kind(op) != TraceModel.OP_POST) continue;
        int j = (int) TraceModel.value(op);
        if (keep[j]) union(parent, i, j);
      }
    }
    // Tasks in pid order (a pid reused: in order of appearance); each group where its first task falls.
    Integer[] byPid = new Integer[n];
    int kept = 0;
    for (int i = 0; i < n; i++) if (keep[i]) byPid[kept++] = i;
    Arrays.sort(byPid, 0, kept, (a, b) -> m.pid[a] != m.pid[b] ? Integer.compare(m.pid[a], m.pid[b]) : Integer.compare(a, b));
    int[] head = new int[n];
    int[] next = new int[n];
    int[] tail = new int[n];
    Arrays.fill(head, -1);
    for (int x = 0; x < kept; x++) { // the members of each group, in that order
      int i = byPid[x];
      int r = find(parent, i);
      next[i] = -1;
      if (head[r] < 0) head[r] = i;
      else next[tail[r]] = i;
      tail[r] = i;
    }
    int[] order = new int[kept];
    int[] newIndex = new int[n];
    Arrays.fill(newIndex, -1);
    int[] groupBaseOf = new int[n];
    boolean[] placed = new boolean[n];
    int k = 0;
    for (int x = 0; x < kept; x++) {
      int r = find(parent, byPid[x]);
      if (placed[r]) continue;
      placed[r] = true;
      int base = k;
      for (int j = head[r]; j >= 0; j = next[j]) {
        newIndex[j] = k;
        groupBaseOf[j] = base;
        order[k++] = j;
      }
    }
    List<TaskModel> tasks = new ArrayList<>(k);
    List<Program> programs = new ArrayList<>(k);
    Dist[] cache = new Dist[1 << 14];
    int[] distinct = new int[1];
    long operations = 0;
    for (int x = 0; x < k; x++) {
      int i = order[x];
      long[] ops = m.opsOf(i);
      m.release(i);
      Program.Builder b = Program.builder();
      int len = 0;
      for (long op : ops) {
        long v = TraceModel.value(op);
        switch (TraceModel.kind(op)) {
          case TraceModel.OP_RUN -> b.run(fixed(cache, v, distinct));
          case TraceModel.OP_SLEEP -> b.sleep(fixed(cache, v, distinct));
          case TraceModel.OP_WAIT -> b.waitFor(1);
          default -> {
            int target = newIndex[(int) v];
            if (target < 0) continue; // a task left out: nothing waits for this post
            b.post(target - groupBaseOf[i]);
            op = ((long) TraceModel.OP_POST << TraceModel.KIND_SHIFT) | target;
          }
        }
        ops[len++] = op;
      }
      Program p = b.exit().build();
      operations += len;
      long[] trimmed = len == ops.length ? ops : Arrays.copyOf(ops, len);
      String label = !m.label[i].isEmpty() ? m.label[i] : m.cpuNs[i] >= m.sleepNs[i] ? "batch" : "interactive";
      tasks.add(new TaskModel(m.pid[i], m.comm[i], label, m.startNs[i], m.cpuNs[i], m.sleepNs[i], m.bursts[i],
          m.sleeps[i], m.waits[i], m.posts[i], m.exited[i], groupBaseOf[i], trimmed));
      programs.add(p);
    }
    return new TraceWorkload(name, info, topo, tasks, programs, operations, distinct[0], loadNs,
        ReplayResult.Delay.of(m.traceDelay));
  }

  private static Dist fixed(Dist[] cache, long ns, int[] distinct) {
    int h = (int) ((ns * 0x9E3779B97F4A7C15L) >>> 50);
    Dist d = cache[h];
    if (d != null && d.a() == ns) return d;
    distinct[0]++;
    return cache[h] = Dist.fixed(ns);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb); // the earlier task is the root
  }

  // ---------------------------------------------------------------- the workload

  /**
   * The simulated workload: task {@code i} is {@link #tasks()}{@code .get(i)} (pid
   * {@code SimKernel.PID_BASE + i}). The programs are shared; only the TaskSpecs are new. A trace
   * has no randomness: the seed only seeds each task's own generator, which fixed programs never draw from.
   */
  public Workload workload(long seed) {
    Workload.Builder b = Workload.builder(name, seed);
    for (int i = 0; i < tasks.size(); i++) {
      TaskModel t = tasks.get(i);
      if (t.groupBase() == i) b.group();
      Exemption x = t.exempt();
      // an older trace's plain "exempt" is reported under the kind it was taken for
      b.task(t.comm(), x.exempt() ? SchedEventRecorder.label(x) : t.label(), WEIGHT, t.startNs(), programs.get(i), x);
    }
    return b.build();
  }

  public String name() {
    return name;
  }

  public TraceInfo info() {
    return info;
  }

  /** The traced machine's CPUs: the trace header's topology if it has one, else flat. */
  public CpuTopology topology() {
    return topology;
  }

  public int nrCpus() {
    return topology.nrCpus();
  }

  public List<TaskModel> tasks() {
    return tasks;
  }

  /** The task with this trace pid (the first, if the pid was reused), or null. */
  public TaskModel task(int pid) {
    for (TaskModel t : tasks) if (t.pid() == pid) return t;
    return null;
  }

  /** Operations over all programs (bursts, sleeps, waits, posts). */
  public long operations() {
    return operations;
  }

  /** Wakeups modelled as dependencies (post/waitFor pairs). */
  public long wakeupEdges() {
    long e = 0;
    for (TaskModel t : tasks) e += t.posts();
    return e;
  }

  /** Estimated heap held by the model: programs (32 B an operation), their compact copies (8 B), durations, tasks. */
  public long estimatedBytes() {
    return operations * 40 + distinctDurations * 32L + tasks.size() * 320L;
  }

  /**
   * The scheduling delays the trace itself shows (wakeup or preemption to the next switch-in, every
   * task, as the kernel half's histogram counts them): what a faithful replay should reproduce.
   */
  public ReplayResult.Delay traceDelay() {
    return traceDelay;
  }

  /** Wall-clock time the load took. */
  public long loadNs() {
    return loadNs;
  }

  public String describe() {
    TraceInfo i = info;
    return String.format(Locale.ROOT,
        "%s (%s): %d events over %.3f ms on %d CPUs, %d skipped lines, %d lost events; model: %d tasks "
            + "(of %d seen), %d operations, %d wakeup edges, ~%.1f MiB",
        i.source(), i.format(), i.events(), i.spanNs() / 1e6, i.nrCpus(), i.skippedLines(), i.lostEvents(),
        tasks.size(), i.traceTasks(), operations, wakeupEdges(), estimatedBytes() / 1048576.0);
  }

  // ---------------------------------------------------------------- reading

  /** UTF-8 with undecodable bytes replaced, as the importer reads files. */
  private static Reader reader(InputStream in) {
    return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
  }

  private static long parseLong(String s) {
    if (s == null) return 0;
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String duration(long ns) {
    if (ns >= 1_000_000) return String.format(Locale.ROOT, "%.3fms", ns / 1e6);
    return String.format(Locale.ROOT, "%.3fus", ns / 1e3);
  }

  /** Feeds the model and reports progress now and then. */
  private static final class Feed implements TraceSink {
    private final TraceModel model;
    private final ProgressListener listener;
    private final long interval;
    private final String source;
    private final long size;
    private final TraceInput.Counting in;
    private final long started;
    private long next;
    private int sinceCheck;

    Feed(TraceModel model, Options o, String source, long size, TraceInput.Counting in, long started) {
      this.model = model;
      this.listener = o.progress();
      this.interval = Math.max(1, o.progressIntervalNs());
      this.source = source;
      this.size = size;
      this.in = in;
      this.started = started;
      this.next = started + interval;
    }

    @Override
    public void accept(TraceRecord r) {
      model.accept(r);
      if (listener != null && ++sinceCheck >= 4096) {
        sinceCheck = 0;
        long now = System.nanoTime();
        if (now >= next) {
          next = now + interval;
          listener.progress(new Progress(source, in.count, size, model.events, now - started));
        }
      }
    }
  }
}
