package javaland.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord.TraceEvent;

/**
 * Turns text traces (ftrace, trace-cmd report, perf script, perf sched timehist) into the trace
 * event stream, line by line: memory holds one line, the tasks and a few per-CPU values, never
 * the file.
 *
 * <pre>{@code
 * ImportResult r = TraceImporter.importFile(Path.of("trace.txt"), ImportOptions.lenient(), record -> ...);
 * ImportResult r = TraceImporter.convert(Path.of("trace.txt"), Path.of("trace.jlt"), ImportOptions.lenient());
 * }</pre>
 *
 * <p>Malformed lines are skipped and counted (lenient, the default) or fail the import with a
 * {@link TraceParseException} naming the file, the line and what was expected (strict). Whatever
 * the input, nothing else escapes but the sink's and the stream's own IOExceptions.
 */
public final class TraceImporter {
  /** Lines read before deciding the format (AUTO). */
  static final int SNIFF_LINES = 64;

  private TraceImporter() {}

  /** What the first lines said, for a sink created once the format is known. */
  public record Detected(TraceFormat format, int declaredCpus) {}

  /** A sink chosen once the format is known (convert() puts the format in the trace header). */
  @FunctionalInterface
  public interface SinkFactory {
    TraceSink open(Detected detected) throws IOException;
  }

  public static ImportResult importFile(Path file, ImportOptions options, TraceSink sink) throws IOException {
    try (Reader r = reader(Files.newInputStream(file))) {
      return importWith(r, file.toString(), options, d -> sink);
    }
  }

  public static ImportResult importText(Reader text, String source, ImportOptions options, TraceSink sink) throws IOException {
    return importWith(text, source, options, d -> sink);
  }

  /** Imports {@code textFile} into a binary trace at {@code traceFile}; the import's counts go into its summary. */
  public static ImportResult convert(Path textFile, Path traceFile, ImportOptions options) throws IOException {
    TraceWriter[] writer = new TraceWriter[1];
    boolean done = false;
    try (Reader r = reader(Files.newInputStream(textFile))) {
      ImportResult result = importWith(r, textFile.toString(), options, d -> {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", String.valueOf(textFile.getFileName()));
        meta.put("format", d.format().id());
        writer[0] = TraceWriter.create(traceFile, TraceHeader.of(d.format().id(), d.declaredCpus(), null, meta));
        return writer[0];
      });
      result.toMap().forEach((k, v) -> {
        if (!(v instanceof Map)) writer[0].putEndMetadata("import." + k, String.valueOf(v));
      });
      writer[0].close();
      done = true;
      return result;
    } finally {
      if (!done && writer[0] != null) {
        // A failed import must not leave a trace that reads as complete.
        writer[0].abort();
        Files.deleteIfExists(traceFile);
      }
    }
  }

  /** UTF-8, with undecodable bytes replaced (they can only be in comms, or make a line malformed). */
  static Reader reader(InputStream in) {
    return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
  }

  /** Imports {@code text}, opening the sink once the format is known (from its first lines, for AUTO). */
  public static ImportResult importWith(Reader text, String source, ImportOptions options, SinkFactory sinks)
      throws IOException {
    LineReader lines = new LineReader(text, options.maxLineChars());
    List<String> head = new ArrayList<>();
    List<Boolean> headTooLong = new ArrayList<>();
    for (String l; head.size() < SNIFF_LINES && (l = lines.next()) != null; ) {
      head.add(l);
      headTooLong.add(lines.tooLong());
    }
    TraceFormat format = options.format();
    if (format == TraceFormat.AUTO) {
      format = TraceFormat.detect(head);
      if (format == null) {
        if (options.strict()) {
          for (int i = 0; i < head.size(); i++) {
            if (!head.get(i).isBlank()) {
              throw new TraceParseException(source, i + 1,
                  "a line of ftrace, trace-cmd report, perf script or perf sched timehist output", head.get(i));
            }
          }
        }
        format = TraceFormat.FTRACE; // nothing recognisable: every non-blank line will be skipped
      }
    }
    Session s = new Session(source, options, sinks.open(new Detected(format, TraceFormat.declaredCpus(head))));
    LineParser parser = format.newParser();
    for (int i = 0; i < head.size(); i++) s.line(parser, head.get(i), headTooLong.get(i));
    head.clear();
    for (String l; (l = lines.next()) != null; ) s.line(parser, l, lines.tooLong());
    parser.finish(s);
    return s.result(format);
  }

  /** One import: counts lines, numbers tasks, forwards records to the sink. */
  private static final class Session implements ParseContext {
    private final String source;
    private final ImportOptions options;
    private final TraceSink sink;
    private final Map<Integer, TaskInfo> tasks = new HashMap<>();
    private final long[] counts = new long[128];
    private final List<String> errors = new ArrayList<>();
    private ImportResult.Skipped firstSkipped;
    private long lineNo;
    private long parsed;
    private long skipped;
    private long ignored;
    private long events;
    private long lostEvents;
    private long lostMarkers;
    private long outOfOrder;
    private long lastNs;
    private long minNs = Long.MAX_VALUE;
    private long maxNs = Long.MIN_VALUE;
    private boolean anyEvent;
    private int maxCpu = -1;
    private int declaredCpus;

    Session(String source, ImportOptions options, TraceSink sink) {
      this.source = source;
      this.options = options;
      this.sink = sink;
    }

    void line(LineParser parser, String text, boolean tooLong) throws IOException {
      lineNo++;
      if (tooLong) {
        skip("a line of at most " + options.maxLineChars() + " characters", text);
        return;
      }
      try {
        parser.parse(text, this);
        parsed++;
      } catch (MalformedLineException e) {
        skip(e.expected(), text);
      } catch (RuntimeException | StackOverflowError e) {
        // A parser bug or a regex that gave up on a pathological line: still this line's fault.
        skip("a well-formed line (" + e.getClass().getSimpleName() + ")", text);
      }
    }

    private void skip(String expected, String text) throws TraceParseException {
      TraceParseException e = new TraceParseException(source, lineNo, expected, text);
      if (options.strict()) throw e;
      skipped++;
      if (firstSkipped == null) firstSkipped = new ImportResult.Skipped(lineNo, expected, text);
      if (errors.size() < options.keptErrors()) errors.add(e.getMessage());
    }

    @Override
    public void task(int pid, int tgid, String comm) throws IOException {
      if (pid == 0) {
        // The idle task: one for every CPU (swapper/N), always pid 0.
        if (!tasks.containsKey(0)) define(new TaskInfo(0, 0, "<idle>", ""));
        return;
      }
      boolean unknown = comm == null || comm.isEmpty() || comm.equals("<...>") || comm.equals(":-1");
      TaskInfo old = tasks.get(pid);
      if (old == null) {
        define(new TaskInfo(pid, tgid, unknown ? "" : comm, ""));
        return;
      }
      String c = unknown ? old.comm() : comm;
      int g = tgid >= 0 ? tgid : old.tgid();
      if (!c.equals(old.comm()) || g != old.tgid()) define(new TaskInfo(pid, g, c, ""));
    }

    private void define(TaskInfo t) throws IOException {
      tasks.put(t.pid(), t);
      sink.accept(t);
    }

    @Override
    public void event(TraceEvent e) throws IOException {
      switch (e) {
        case TraceRecord.Switch s -> {
          known(s.prevPid());
          known(s.nextPid());
        }
        case TraceRecord.Wakeup w -> known(w.pid());
        case TraceRecord.Fork f -> {
          known(f.parentPid());
          known(f.childPid());
        }
        case TraceRecord.Exit x -> known(x.pid());
        case TraceRecord.Migrate m -> known(m.pid());
        case TraceRecord.Queued q -> known(q.pid());
        case TraceRecord.Decided d -> known(d.pid());
        case TraceRecord.Fallback f -> known(f.pid());
        case TraceRecord.Lost l -> {
          lostMarkers++;
          lostEvents += l.count();
        }
      }
      long t = e.timeNs();
      if (anyEvent && t < lastNs) outOfOrder++;
      anyEvent = true;
      lastNs = t;
      minNs = Math.min(minNs, t);
      maxNs = Math.max(maxNs, t);
      maxCpu = Math.max(maxCpu, e.cpu());
      counts[e.type().code()]++;
      if (e.type() != EventType.LOST) events++;
      sink.accept(e);
    }

    private void known(int pid) throws IOException {
      if (!tasks.containsKey(pid)) task(pid, -1, null);
    }

    @Override
    public void ignored() {
      ignored++;
    }

    @Override
    public void declareCpus(int n) {
      declaredCpus = Math.max(declaredCpus, Math.min(n, TraceCodec.MAX_CPUS));
    }

    @Override
    public long lastTimeNs() {
      return anyEvent ? lastNs : 0;
    }

    ImportResult result(TraceFormat format) {
      EnumMap<EventType, Long> byType = new EnumMap<>(EventType.class);
      for (EventType t : EventType.values()) if (counts[t.code()] > 0) byType.put(t, counts[t.code()]);
      int nTasks = tasks.size() - (tasks.containsKey(0) ? 1 : 0);
      return new ImportResult(source, format, lineNo, parsed, skipped, ignored, nTasks, events, lostEvents, lostMarkers,
          anyEvent ? minNs : 0, anyEvent ? maxNs : 0, Math.max(declaredCpus, maxCpu + 1), outOfOrder, byType, errors, firstSkipped);
    }
  }
}
