package javaland.trace;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an import read and produced. Every line is either parsed (an event used, a line
 * recognised and not needed, a header, comment or blank line) or skipped as malformed:
 * {@code parsedLines + skippedLines == lines}.
 *
 * @param source the file (or stream) name
 * @param format the format read (detected, if AUTO was asked for)
 * @param lines lines read
 * @param parsedLines lines understood
 * @param skippedLines malformed lines skipped (always 0 in strict mode, which throws instead)
 * @param ignoredLines of the parsed lines, well-formed events this importer does not use
 *     (other tracepoints, callchain lines, summaries)
 * @param tasks distinct tasks seen, not counting the idle task
 * @param events scheduling events produced (lost markers not included)
 * @param lostEvents events the tracer reported dropping, summed over its markers
 * @param lostMarkers lost-event markers seen (some do not say how many)
 * @param firstNs earliest event time (0 if none)
 * @param lastNs latest event time (0 if none)
 * @param nrCpus CPUs: the header's count, or the highest CPU seen plus one
 * @param outOfOrder events produced earlier than the event before them
 * @param eventCounts events per type, lost markers included
 * @param errors the first skipped lines' messages, "file:line: expected ..., got '...'"
 * @param firstSkipped the first malformed line, or null if none was
 */
public record ImportResult(String source, TraceFormat format, long lines, long parsedLines, long skippedLines,
    long ignoredLines, int tasks, long events, long lostEvents, long lostMarkers, long firstNs, long lastNs,
    int nrCpus, long outOfOrder, Map<EventType, Long> eventCounts, List<String> errors, Skipped firstSkipped) {
  /** The first line skipped as malformed: where, what was expected, what it held. */
  public record Skipped(long line, String expected, String text) {}

  public ImportResult {
    EnumMap<EventType, Long> c = new EnumMap<>(EventType.class);
    c.putAll(eventCounts);
    eventCounts = Collections.unmodifiableMap(c);
    errors = List.copyOf(errors);
  }

  public long spanNs() {
    return lastNs - firstNs;
  }

  public long count(EventType t) {
    return eventCounts.getOrDefault(t, 0L);
  }

  /** For JSON: snake_case keys, as the replay command's output uses them. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source);
    m.put("format", format.id());
    m.put("lines", lines);
    m.put("parsed_lines", parsedLines);
    m.put("skipped_lines", skippedLines);
    m.put("ignored_lines", ignoredLines);
    m.put("tasks", tasks);
    m.put("events", events);
    m.put("lost_events", lostEvents);
    m.put("lost_markers", lostMarkers);
    m.put("first_ns", firstNs);
    m.put("last_ns", lastNs);
    m.put("span_ms", spanNs() / 1e6);
    m.put("nr_cpus", nrCpus);
    m.put("out_of_order", outOfOrder);
    Map<String, Long> byType = new LinkedHashMap<>();
    eventCounts.forEach((t, n) -> byType.put(t.key(), n));
    m.put("event_counts", byType);
    return m;
  }

  /** Two lines for humans. */
  public String describe() {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "%s (%s): %d lines, %d skipped, %d tasks, %d events over %.3f ms on %d CPUs, %d lost events (%d markers)",
        source, format.id(), lines, skippedLines, tasks, events, spanNs() / 1e6, nrCpus, lostEvents, lostMarkers));
    s.append("\n  ");
    eventCounts.forEach((t, n) -> s.append(t.key()).append('=').append(n).append(' '));
    return s.toString().stripTrailing();
  }
}
