package javaland.trace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import javaland.sdk.CpuTopology;
import javaland.trace.TraceCodec.In;
import javaland.trace.TraceRecord.TaskInfo;

/**
 * Reads a binary trace one record at a time, never the whole file: it holds one chunk (at most
 * 1 MiB, 64 KiB as written), the interned strings and the tasks defined so far, so its memory
 * grows with the number of tasks, not with the length of the trace ({@link #retainedState()}).
 *
 * <pre>{@code
 * try (TraceReader r = TraceReader.open(path)) {
 *   TraceHeader h = r.header();
 *   for (TraceRecord rec; (rec = r.next()) != null; ) { ... }
 *   TraceSummary s = r.summary();
 * }
 * }</pre>
 *
 * <p>Every problem with the bytes (wrong magic or version, truncation, a checksum or record that
 * does not add up) is a {@link TraceFormatException} naming the file and the byte offset;
 * nothing else escapes but the IOExceptions of the stream itself.
 */
public final class TraceReader implements AutoCloseable {
  /** What a reader keeps between records: see the class comment. */
  public record State(int tasks, int strings, int bufferBytes) {}

  private final InputStream in;
  private final String name;
  private final boolean allowTruncated;
  private final In cur;
  private final CRC32C crc = new CRC32C();
  private final List<String> strings = new ArrayList<>();
  private final Map<Integer, TaskInfo> tasks = new HashMap<>();
  private final TraceHeader header;
  private byte[] buf = new byte[TraceCodec.TARGET_CHUNK];
  private long position;
  private long lastNs;
  private long records;
  private boolean ended;
  private boolean truncated;
  private TraceSummary summary;

  public static TraceReader open(Path file) throws IOException {
    return open(file, false);
  }

  /**
   * @param allowTruncated a trace whose writer never closed it (a crash, a kill) ends quietly at
   *     its last whole chunk, with {@link #truncated()} set, instead of failing
   */
  public static TraceReader open(Path file, boolean allowTruncated) throws IOException {
    InputStream is = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      return new TraceReader(is, file.toString(), allowTruncated);
    } catch (IOException | RuntimeException e) {
      is.close();
      throw e;
    }
  }

  /** Reads the header from {@code in}, which this reader then owns. */
  public TraceReader(InputStream in, String name, boolean allowTruncated) throws IOException {
    this.in = in;
    this.name = name;
    this.allowTruncated = allowTruncated;
    this.cur = new In(name);
    this.header = readHeader();
  }

  public TraceHeader header() {
    return header;
  }

  /** The summary the writer put at the end: available once {@link #next()} returned null (not for a truncated trace). */
  public TraceSummary summary() {
    return summary;
  }

  /** The trace ended without its end record and the reader was told to allow that. */
  public boolean truncated() {
    return truncated;
  }

  /** The latest definition of a task, or null. */
  public TaskInfo task(int pid) {
    return tasks.get(pid);
  }

  /** Bytes consumed so far. */
  public long position() {
    return position;
  }

  public State retainedState() {
    return new State(tasks.size(), strings.size(), buf.length);
  }

  /** The next record, or null at the end of the trace. */
  public TraceRecord next() throws IOException {
    while (!ended) {
      if (!cur.hasMore() && !nextChunk()) return null;
      TraceRecord r = decode();
      records++;
      if (r != null) return r;
    }
    return null;
  }

  // ---------------------------------------------------------------- blocks

  private TraceHeader readHeader() throws IOException {
    byte[] magic = new byte[TraceCodec.MAGIC.length];
    int n = readFully(magic, magic.length);
    if (n < magic.length || !Arrays.equals(magic, TraceCodec.MAGIC)) {
      throw new TraceFormatException(name, 0, "not a javaland trace (no magic number"
          + (n < magic.length ? ", file has " + n + " bytes" : "") + ")");
    }
    int hi = readByte("header");
    int lo = readByte("header");
    int version = (hi << 8) | lo;
    if (version != TraceHeader.VERSION) {
      throw new TraceFormatException(name, 8, "unsupported trace format version " + version
          + " (this build reads version " + TraceHeader.VERSION + ")");
    }
    readBlock(TraceCodec.MAX_HEADER, "header");
    String clock = cur.string();
    int nrCpus = cur.uint(TraceCodec.MAX_CPUS, "nr_cpus");
    int hasTopo = cur.u8();
    CpuTopology topo = null;
    if (hasTopo == 1) {
      if (nrCpus < 1) throw cur.corrupt(cur.offset(), "corrupt: topology with no CPUs");
      int[] core = new int[nrCpus];
      int[] llc = new int[nrCpus];
      for (int c = 0; c < nrCpus; c++) {
        core[c] = cur.uint(nrCpus - 1, "core id");
        llc[c] = cur.uint(nrCpus - 1, "llc id");
      }
      topo = new CpuTopology(nrCpus, core, llc);
    } else if (hasTopo != 0) {
      throw cur.corrupt(cur.offset() - 1, "corrupt: topology flag " + hasTopo + " (expected 0 or 1)");
    }
    Map<String, String> meta = readPairs();
    // Later fields of this version, if any, are skipped: the header was length-prefixed for that.
    cur.reset(buf, 0, position);
    return new TraceHeader(version, clock, nrCpus, topo, meta);
  }

  /** Reads the next chunk into the cursor; false at the end of the trace. */
  private boolean nextChunk() throws IOException {
    long at = position;
    int kind = in.read();
    if (kind < 0) {
      if (allowTruncated) {
        truncated = true;
        ended = true;
        return false;
      }
      throw new TraceFormatException(name, at, "truncated: the trace ends without its end record (was the writer closed?)");
    }
    position++;
    if (kind == TraceCodec.CHUNK_DATA) {
      readBlock(TraceCodec.MAX_CHUNK, "chunk");
      return !ended; // a truncated last chunk ends the trace (allowTruncated)
    }
    if (kind != TraceCodec.CHUNK_END) {
      throw new TraceFormatException(name, at, String.format("corrupt: expected a chunk ('D' or 'E'), found byte 0x%02x", kind));
    }
    readBlock(TraceCodec.MAX_CHUNK, "end record");
    if (!ended) readFooter(at);
    ended = true;
    return false;
  }

  /** Reads "varint length, u32 crc, payload" into buf and points the cursor at it. */
  private void readBlock(int max, String what) throws IOException {
    long at = position;
    long len = 0;
    for (int shift = 0; ; shift += 7) {
      int b = readByte(what + " length");
      if (shift > 28) throw new TraceFormatException(name, at, "corrupt " + what + " length");
      len |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    if (len > max) throw new TraceFormatException(name, at, "corrupt " + what + ": length " + len + " over the limit of " + max);
    long expected = 0;
    for (int i = 0; i < 4; i++) expected |= (long) readByte(what + " checksum") << (8 * i);
    if (buf.length < len) buf = new byte[(int) Math.max(len, buf.length * 2L)];
    long start = position;
    int n = readFully(buf, (int) len);
    if (n < len) {
      if (allowTruncated && !"header".equals(what)) {
        truncated = true;
        ended = true;
        cur.reset(buf, 0, start);
        return;
      }
      throw new TraceFormatException(name, position, "truncated: the " + what + " at byte " + at + " needs " + len
          + " bytes, the file ends after " + n);
    }
    crc.reset();
    crc.update(buf, 0, (int) len);
    if (crc.getValue() != expected) {
      throw new TraceFormatException(name, start, "corrupt " + what + ": checksum mismatch over " + len + " bytes");
    }
    cur.reset(buf, (int) len, start);
  }

  private void readFooter(long endOffset) throws IOException {
    long recs = cur.varint();
    long events = cur.varint();
    int nTasks = cur.uint(Integer.MAX_VALUE, "task count");
    long lost = cur.varint();
    long first = cur.zigzag();
    long last = cur.zigzag();
    int cpus = cur.uint(TraceCodec.MAX_CPUS, "nr_cpus");
    long ooo = cur.varint();
    int types = cur.uint(128, "type count");
    EnumMap<EventType, Long> counts = new EnumMap<>(EventType.class);
    for (int i = 0; i < types; i++) {
      long at = cur.offset();
      int code = cur.u8();
      long n = cur.varint();
      EventType t = EventType.ofCode(code);
      if (t == null) throw cur.corrupt(at, String.format("corrupt: unknown event type 0x%02x in the summary", code));
      counts.put(t, n);
    }
    Map<String, String> meta = readPairs();
    if (recs != records) {
      throw new TraceFormatException(name, endOffset, "corrupt: the end record counts " + recs + " records, the chunks held " + records);
    }
    byte[] tail = new byte[TraceCodec.TAIL_BYTES];
    int n = readFully(tail, tail.length);
    long off = ByteBuffer.wrap(tail).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
    if (n < tail.length || off != endOffset
        || !Arrays.equals(Arrays.copyOfRange(tail, 8, 16), TraceCodec.TAIL_MAGIC)) {
      throw new TraceFormatException(name, position - n, n < tail.length ? "truncated: the tail after the end record is missing"
          : "corrupt: the tail does not point back at the end record");
    }
    if (in.read() >= 0) throw new TraceFormatException(name, position, "corrupt: data after the end of the trace");
    summary = new TraceSummary(recs, events, nTasks, lost, first, last, cpus, ooo, counts, meta);
  }

  private Map<String, String> readPairs() throws TraceFormatException {
    int n = cur.uint(1 << 16, "metadata count");
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) m.put(cur.string(), cur.string());
    return m;
  }

  private int readByte(String what) throws IOException {
    int b = in.read();
    if (b < 0) throw new TraceFormatException(name, position, "truncated: the file ends inside the " + what);
    position++;
    return b;
  }

  private int readFully(byte[] b, int len) throws IOException {
    int n = in.readNBytes(b, 0, len);
    position += n;
    return n;
  }

  // ---------------------------------------------------------------- records

  /** Decodes one record at the cursor; null for records that are not handed out (strings, extensions). */
  private TraceRecord decode() throws TraceFormatException {
    long at = cur.offset();
    int tag = cur.u8();
    if (tag == TraceCodec.TAG_STRING) {
      strings.add(cur.string());
      return null;
    }
    if (tag == TraceCodec.TAG_TASK) {
      int pid = cur.pid();
      long tgid = cur.zigzag();
      if (tgid < -1 || tgid > Integer.MAX_VALUE) throw cur.corrupt(at, "corrupt: tgid " + tgid + " out of range");
      TaskInfo t = new TaskInfo(pid, (int) tgid, string(at), string(at));
      tasks.put(pid, t);
      return t;
    }
    if (tag >= TraceCodec.TAG_EXT_MIN && tag <= TraceCodec.TAG_EXT_MAX) {
      cur.skip(cur.uint(TraceCodec.MAX_CHUNK, "extension length"));
      return null;
    }
    EventType type = EventType.ofCode(tag);
    if (type == null) throw cur.corrupt(at, String.format("corrupt: unknown record tag 0x%02x", tag));
    long time = lastNs + cur.zigzag();
    lastNs = time;
    int cpu = cur.cpu();
    return switch (type) {
      case WAKING, WAKEUP, WAKEUP_NEW -> new TraceRecord.Wakeup(type, time, cpu, cur.pid(), cur.cpu());
      case SWITCH -> {
        int prev = cur.pid();
        long sat = cur.offset();
        TaskState st = TaskState.ofCode(cur.u8());
        if (st == null) throw cur.corrupt(sat, "corrupt: unknown task state");
        yield new TraceRecord.Switch(time, cpu, prev, st, cur.pid());
      }
      case FORK -> new TraceRecord.Fork(time, cpu, cur.pid(), cur.pid());
      case EXIT -> new TraceRecord.Exit(time, cpu, cur.pid());
      case MIGRATE -> new TraceRecord.Migrate(time, cpu, cur.pid(), cur.cpu(), cur.cpu());
      case QUEUED -> {
        int pid = cur.pid();
        long seq = cur.varint();
        yield new TraceRecord.Queued(time, cpu, pid, seq, (cur.u8() & 1) != 0);
      }
      case DECIDED -> {
        int pid = cur.pid();
        long seq = cur.varint();
        int target = cur.cpu();
        long slice = cur.varint();
        yield new TraceRecord.Decided(time, cpu, pid, seq, target, slice, time + cur.zigzag());
      }
      case FALLBACK -> new TraceRecord.Fallback(time, cpu, cur.pid(), FallbackReason.ofCode(cur.u8()));
      case LOST -> {
        long sat = cur.offset();
        long n = cur.varint();
        if (n < 0) throw cur.corrupt(sat, "corrupt: lost count out of range");
        yield new TraceRecord.Lost(time, cpu, n);
      }
    };
  }

  private String string(long recordAt) throws TraceFormatException {
    int id = cur.uint(Integer.MAX_VALUE, "string id");
    if (id == 0) return "";
    if (id > strings.size()) throw cur.corrupt(recordAt, "corrupt: string #" + id + " used before it was defined");
    return strings.get(id - 1);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  // ---------------------------------------------------------------- the summary without the records

  /** Reads a closed trace's summary from its end, without reading its records. */
  public static TraceSummary readSummary(Path file) throws IOException {
    String name = file.toString();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < TraceCodec.MAGIC.length + TraceCodec.TAIL_BYTES) {
        throw new TraceFormatException(name, size, "truncated: too short to hold a trace");
      }
      ByteBuffer tail = ByteBuffer.allocate(TraceCodec.TAIL_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.read(tail, size - TraceCodec.TAIL_BYTES);
      byte[] magic = Arrays.copyOfRange(tail.array(), 8, 16);
      long end = tail.getLong(0);
      if (!Arrays.equals(magic, TraceCodec.TAIL_MAGIC) || end < 0 || end >= size - TraceCodec.TAIL_BYTES) {
        throw new TraceFormatException(name, size - TraceCodec.TAIL_BYTES, "truncated or corrupt: no end record at the end of the file");
      }
      // Re-read from the end record with a reader positioned there: the same checks apply.
      InputStream is = new BufferedInputStream(java.nio.channels.Channels.newInputStream(ch.position(end)));
      TraceReader r = new TraceReader(is, name, end);
      return r.summary;
    }
  }

  /** For readSummary: a reader that starts at the end record, skipping the header and the records' count check. */
  private TraceReader(InputStream in, String name, long endOffset) throws IOException {
    this.in = in;
    this.name = name;
    this.allowTruncated = false;
    this.cur = new In(name);
    this.header = null;
    this.position = endOffset;
    int kind = readByte("end record");
    if (kind != TraceCodec.CHUNK_END) throw new TraceFormatException(name, endOffset, "corrupt: the tail does not point at an end record");
    readBlock(TraceCodec.MAX_CHUNK, "end record");
    long save = cur.pos;
    records = cur.varint(); // the footer's own count: nothing to compare it with here
    cur.pos = (int) save;
    readFooter(endOffset);
  }
}
