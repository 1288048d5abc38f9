package javaland.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;
import javaland.sdk.CpuTopology;
import javaland.trace.TraceCodec.Out;
import javaland.trace.TraceRecord.Decided;
import javaland.trace.TraceRecord.Exit;
import javaland.trace.TraceRecord.Fallback;
import javaland.trace.TraceRecord.Fork;
import javaland.trace.TraceRecord.Lost;
import javaland.trace.TraceRecord.Migrate;
import javaland.trace.TraceRecord.Queued;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord.Wakeup;

/**
 * Writes a binary trace (docs/trace-format.md) as records arrive: records go into a chunk of
 * about 64 KiB, which is checksummed and written when full, so memory stays the same however
 * long the trace (plus one entry per distinct string and task, for interning and the summary).
 * {@link #close()} writes the end record and summary; a trace that was never closed reads as
 * truncated.
 *
 * <p>The primitive methods ({@link #switchTo}, {@link #wakeup}, ...) allocate nothing, for
 * recording from a running scheduler; {@link #accept} takes the record types. Single-threaded.
 */
public final class TraceWriter implements TraceSink, AutoCloseable {
  private final OutputStream out;
  private final String name;
  private final CRC32C crc = new CRC32C();
  private final Out chunk = new Out(TraceCodec.TARGET_CHUNK + 512);
  private final Out rec = new Out(256);
  private final Map<String, Integer> strings = new HashMap<>();
  private final Set<Integer> taskPids = new HashSet<>();
  private final long[] counts = new long[128];
  private final Map<String, String> endMetadata = new LinkedHashMap<>();
  private long position;
  private long records;
  private long events;
  private long lostEvents;
  private long outOfOrder;
  private long lastNs;
  private long minNs = Long.MAX_VALUE;
  private long maxNs = Long.MIN_VALUE;
  private int maxCpu = -1;
  private boolean anyEvent;
  private boolean closed;
  private TraceSummary summary;

  /** Creates (or replaces) {@code file} and writes the header. */
  public static TraceWriter create(Path file, TraceHeader header) throws IOException {
    OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    try {
      return new TraceWriter(os, header, file.toString());
    } catch (IOException | RuntimeException e) {
      os.close();
      throw e;
    }
  }

  /** Writes the header to {@code out}, which this writer then owns (close() closes it). */
  public TraceWriter(OutputStream out, TraceHeader header, String name) throws IOException {
    this.out = out;
    this.name = name;
    if (header.version() != TraceHeader.VERSION) {
      throw new IllegalArgumentException("can only write version " + TraceHeader.VERSION + ", not " + header.version());
    }
    Out body = new Out(256);
    body.string(header.clock());
    body.varint(header.nrCpus());
    CpuTopology topo = header.topology();
    body.u8(topo == null ? 0 : 1);
    if (topo != null) {
      for (int c = 0; c < topo.nrCpus(); c++) {
        body.varint(topo.core(c));
        body.varint(topo.llc(c));
      }
    }
    body.varint(header.metadata().size());
    header.metadata().forEach((k, v) -> {
      body.string(k);
      body.string(v);
    });
    if (body.size > TraceCodec.MAX_HEADER) throw new IllegalArgumentException("header larger than 1 MiB");
    Out head = new Out(32);
    head.bytes(TraceCodec.MAGIC, 0, TraceCodec.MAGIC.length);
    head.u8(TraceHeader.VERSION >>> 8);
    head.u8(TraceHeader.VERSION & 0xff);
    head.varint(body.size);
    head.u32le(crc32c(body.buf, body.size));
    write(head.buf, head.size);
    write(body.buf, body.size);
  }

  public String name() {
    return name;
  }

  // ---------------------------------------------------------------- records

  @Override
  public void accept(TraceRecord r) throws IOException {
    switch (r) {
      case TaskInfo t -> task(t.pid(), t.tgid(), t.comm(), t.label());
      case Wakeup w -> wakeup(w.type(), w.timeNs(), w.cpu(), w.pid(), w.targetCpu());
      case Switch s -> switchTo(s.timeNs(), s.cpu(), s.prevPid(), s.prevState(), s.nextPid());
      case Fork f -> fork(f.timeNs(), f.cpu(), f.parentPid(), f.childPid());
      case Exit e -> exit(e.timeNs(), e.cpu(), e.pid());
      case Migrate m -> migrate(m.timeNs(), m.cpu(), m.pid(), m.fromCpu(), m.toCpu());
      case Queued q -> queued(q.timeNs(), q.cpu(), q.pid(), q.seq(), q.wokeUp());
      case Decided d -> decided(d.timeNs(), d.cpu(), d.pid(), d.seq(), d.targetCpu(), d.sliceNs(), d.deadline());
      case Fallback f -> fallback(f.timeNs(), f.cpu(), f.pid(), f.reason());
      case Lost l -> lost(l.timeNs(), l.cpu(), l.count());
    }
  }

  /** Defines (or redefines) a task; comm and label are interned. tgid -1: unknown. */
  public void task(int pid, int tgid, String comm, String label) throws IOException {
    checkPid(pid);
    if (tgid < -1) throw new IllegalArgumentException("tgid must be >= -1, got " + tgid);
    int c = intern(comm == null ? "" : comm);
    int l = intern(label == null ? "" : label);
    rec.reset();
    rec.u8(TraceCodec.TAG_TASK);
    rec.varint(pid);
    rec.zigzag(tgid);
    rec.varint(c);
    rec.varint(l);
    if (pid != 0) taskPids.add(pid);
    endRecord();
  }

  public void wakeup(EventType type, long timeNs, int cpu, int pid, int targetCpu) throws IOException {
    if (type == null || !type.isWakeup()) throw new IllegalArgumentException("not a wakeup type: " + type);
    checkPid(pid);
    checkCpu(targetCpu);
    begin(type, timeNs, cpu);
    rec.varint(pid);
    rec.varint(targetCpu + 1L);
    endRecord();
  }

  public void switchTo(long timeNs, int cpu, int prevPid, TaskState prevState, int nextPid) throws IOException {
    checkPid(prevPid);
    checkPid(nextPid);
    begin(EventType.SWITCH, timeNs, cpu);
    rec.varint(prevPid);
    rec.u8(prevState.code());
    rec.varint(nextPid);
    endRecord();
  }

  public void fork(long timeNs, int cpu, int parentPid, int childPid) throws IOException {
    checkPid(parentPid);
    checkPid(childPid);
    begin(EventType.FORK, timeNs, cpu);
    rec.varint(parentPid);
    rec.varint(childPid);
    endRecord();
  }

  public void exit(long timeNs, int cpu, int pid) throws IOException {
    checkPid(pid);
    begin(EventType.EXIT, timeNs, cpu);
    rec.varint(pid);
    endRecord();
  }

  public void migrate(long timeNs, int cpu, int pid, int fromCpu, int toCpu) throws IOException {
    checkPid(pid);
    checkCpu(fromCpu);
    checkCpu(toCpu);
    begin(EventType.MIGRATE, timeNs, cpu);
    rec.varint(pid);
    rec.varint(fromCpu + 1L);
    rec.varint(toCpu + 1L);
    endRecord();
  }

  public void queued(long timeNs, int cpu, int pid, long seq, boolean wokeUp) throws IOException {
    checkPid(pid);
    begin(EventType.QUEUED, timeNs, cpu);
    rec.varint(pid);
    rec.varint(seq);
    rec.u8(wokeUp ? 1 : 0);
    endRecord();
  }

  public void decided(long timeNs, int cpu, int pid, long seq, int targetCpu, long sliceNs, long deadline)
      throws IOException {
    checkPid(pid);
    checkCpu(targetCpu);
    begin(EventType.DECIDED, timeNs, cpu);
    rec.varint(pid);
    rec.varint(seq);
    rec.varint(targetCpu + 1L);
    rec.varint(sliceNs);
    rec.zigzag(deadline - timeNs); // deadlines sit near now: small relative to it
    endRecord();
  }

  public void fallback(long timeNs, int cpu, int pid, FallbackReason reason) throws IOException {
    checkPid(pid);
    begin(EventType.FALLBACK, timeNs, cpu);
    rec.varint(pid);
    rec.u8(reason.code());
    endRecord();
  }

  public void lost(long timeNs, int cpu, long count) throws IOException {
    if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
    begin(EventType.LOST, timeNs, cpu);
    rec.varint(count);
    lostEvents += count;
    endRecord();
  }

  /** Adds a key/value pair to the summary written at the end (an importer's line counts, say). */
  public void putEndMetadata(String key, String value) {
    endMetadata.put(key, value);
  }

  // ---------------------------------------------------------------- encoding

  private void begin(EventType type, long timeNs, int cpu) {
    checkCpu(cpu);
    if (closed) throw new IllegalStateException("trace " + name + " is closed");
    rec.reset();
    rec.u8(type.code());
    rec.zigzag(timeNs - lastNs);
    rec.varint(cpu + 1L);
    if (anyEvent && timeNs < lastNs) outOfOrder++;
    anyEvent = true;
    lastNs = timeNs;
    minNs = Math.min(minNs, timeNs);
    maxNs = Math.max(maxNs, timeNs);
    maxCpu = Math.max(maxCpu, cpu);
    counts[type.code()]++;
    if (type != EventType.LOST) events++;
  }

  private int intern(String s) throws IOException {
    if (s.isEmpty()) return 0;
    Integer id = strings.get(s);
    if (id != null) return id;
    int next = strings.size() + 1;
    strings.put(s, next);
    rec.reset();
    rec.u8(TraceCodec.TAG_STRING);
    rec.string(s);
    endRecord();
    return next;
  }

  /** Moves the record built in {@code rec} into the chunk, writing the chunk first if it would overflow. */
  private void endRecord() throws IOException {
    if (closed) throw new IllegalStateException("trace " + name + " is closed");
    if (chunk.size > 0 && chunk.size + rec.size > TraceCodec.TARGET_CHUNK) flushChunk();
    chunk.bytes(rec.buf, 0, rec.size);
    records++;
  }

  private void flushChunk() throws IOException {
    if (chunk.size == 0) return;
    writeBlock(TraceCodec.CHUNK_DATA, chunk);
    chunk.reset();
  }

  private void writeBlock(int kind, Out payload) throws IOException {
    Out head = new Out(16);
    head.u8(kind);
    head.varint(payload.size);
    head.u32le(crc32c(payload.buf, payload.size));
    write(head.buf, head.size);
    write(payload.buf, payload.size);
  }

  private long crc32c(byte[] b, int len) {
    crc.reset();
    crc.update(b, 0, len);
    return crc.getValue();
  }

  private void write(byte[] b, int len) throws IOException {
    out.write(b, 0, len);
    position += len;
  }

  private static void checkPid(int pid) {
    if (pid < 0) throw new IllegalArgumentException("pid must be >= 0, got " + pid);
  }

  private static void checkCpu(int cpu) {
    if (cpu < -1 || cpu >= TraceCodec.MAX_CPUS) throw new IllegalArgumentException("cpu must be -1.." + (TraceCodec.MAX_CPUS - 1) + ", got " + cpu);
  }

  // ---------------------------------------------------------------- end

  /** What has been written so far. */
  public TraceSummary summarySoFar() {
    EnumMap<EventType, Long> byType = new EnumMap<>(EventType.class);
    for (EventType t : EventType.values()) if (counts[t.code()] > 0) byType.put(t, counts[t.code()]);
    return new TraceSummary(records, events, taskPids.size(), lostEvents, anyEvent ? minNs : 0, anyEvent ? maxNs : 0,
        maxCpu + 1, outOfOrder, byType, endMetadata);
  }

  /** Closes the stream without the end record: the trace reads as truncated (for a failed import). */
  public void abort() throws IOException {
    if (closed) return;
    closed = true;
    out.close();
  }

  /** The summary written at the end; null until closed. */
  public TraceSummary summary() {
    return summary;
  }

  /** Writes the last chunk, the end record with the summary, and the tail; then closes the stream. */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      flushChunk();
      TraceSummary s = summarySoFar();
      Out body = new Out(256);
      body.varint(s.records());
      body.varint(s.events());
      body.varint(s.tasks());
      body.varint(s.lostEvents());
      body.zigzag(s.firstNs());
      body.zigzag(s.lastNs());
      body.varint(s.nrCpus());
      body.varint(s.outOfOrder());
      body.varint(s.counts().size());
      s.counts().forEach((t, n) -> {
        body.u8(t.code());
        body.varint(n);
      });
      body.varint(s.metadata().size());
      s.metadata().forEach((k, v) -> {
        body.string(k);
        body.string(v);
      });
      long endOffset = position;
      writeBlock(TraceCodec.CHUNK_END, body);
      Out tail = new Out(TraceCodec.TAIL_BYTES);
      tail.u64le(endOffset);
      tail.bytes(TraceCodec.TAIL_MAGIC, 0, TraceCodec.TAIL_MAGIC.length);
      write(tail.buf, tail.size);
      out.flush();
      summary = s;
    } finally {
      out.close();
    }
  }
}
