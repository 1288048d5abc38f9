package javaland.trace;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a whole trace holds, written at its end (so a reader can have it without reading the
 * records: {@link TraceReader#readSummary}).
 *
 * @param records records of every kind, task definitions included
 * @param events events (every {@link TraceRecord.TraceEvent} but lost markers)
 * @param tasks distinct pids defined, not counting the idle task (pid 0)
 * @param lostEvents events the tracer said it dropped, summed over the lost markers
 * @param firstNs time of the first event (0 if none)
 * @param lastNs time of the last event (0 if none)
 * @param nrCpus highest CPU an event named, plus one
 * @param outOfOrder events whose time is earlier than the event before them
 * @param counts events per type, lost markers included
 * @param metadata what the writer added at the end (an importer puts its line counts here)
 */
public record TraceSummary(long records, long events, int tasks, long lostEvents, long firstNs, long lastNs,
    int nrCpus, long outOfOrder, Map<EventType, Long> counts, Map<String, String> metadata) {

  public TraceSummary {
    EnumMap<EventType, Long> c = new EnumMap<>(EventType.class);
    if (counts != null) c.putAll(counts);
    counts = Collections.unmodifiableMap(c);
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata == null ? Map.of() : metadata));
  }

  public long count(EventType type) {
    return counts.getOrDefault(type, 0L);
  }

  public long spanNs() {
    return lastNs - firstNs;
  }
}
