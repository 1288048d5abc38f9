package javaland.trace;

import java.io.IOException;

/**
 * Where a stream of trace records goes: a {@link TraceWriter}, a replay's workload builder, a
 * test's list. Importers and the recorder produce records in stream order (task definitions
 * before the events that name them).
 */
@FunctionalInterface
public interface TraceSink {
  void accept(TraceRecord record) throws IOException;
}
