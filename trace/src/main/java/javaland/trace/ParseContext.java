package javaland.trace;

import java.io.IOException;
import javaland.trace.TraceRecord.TraceEvent;

/** What line parsers report to: the importer's session, which numbers tasks and counts. */
interface ParseContext {
  /** A task was seen; tgid -1 and comm null (or "<...>") when unknown. Defines or updates it. */
  void task(int pid, int tgid, String comm) throws IOException;

  /** An event; tasks it names that were never seen are defined first. */
  void event(TraceEvent e) throws IOException;

  /** The line was well-formed but holds nothing this importer uses. */
  void ignored();

  /** The input declared its CPU count. */
  void declareCpus(int n);

  /** Time of the latest event, for markers that carry none (0 before the first). */
  long lastTimeNs();
}
