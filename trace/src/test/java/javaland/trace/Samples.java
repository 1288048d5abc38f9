package javaland.trace;

import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord.TraceEvent;

/** The sample traces in src/test/resources/traces and helpers to import them. */
final class Samples {
  static final List<String> FILES = List.of("ftrace-trace.txt", "ftrace-trace-tgid.txt", "ftrace-trace-pipe.txt",
      "trace-cmd-report.txt", "perf-script.txt", "perf-script-pidtid.txt", "perf-sched-timehist.txt");

  private Samples() {}

  static Path path(String name) {
    try {
      return Path.of(Samples.class.getResource("/traces/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An import's result and the records it produced. */
  record Imported(ImportResult result, List<TraceRecord> records) {
    List<TraceEvent> events() {
      return records.stream().filter(r -> r instanceof TraceEvent).map(r -> (TraceEvent) r).toList();
    }

    <T extends TraceRecord> List<T> of(Class<T> type) {
      return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Each task's last definition. */
    Map<Integer, TaskInfo> tasks() {
      return of(TaskInfo.class).stream().collect(Collectors.toMap(TaskInfo::pid, t -> t, (a, b) -> b));
    }
  }

  static Imported file(String name, ImportOptions options) throws IOException {
    List<TraceRecord> out = new ArrayList<>();
    ImportResult r = TraceImporter.importFile(path(name), options, out::add);
    return new Imported(r, out);
  }

  static Imported text(String text, ImportOptions options) throws IOException {
    List<TraceRecord> out = new ArrayList<>();
    ImportResult r = TraceImporter.importText(new StringReader(text), "inline.txt", options, out::add);
    return new Imported(r, out);
  }
}
