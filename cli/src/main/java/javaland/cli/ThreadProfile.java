package javaland.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;
import javaland.models.json.JsonCodec;

/**
 * {@code run --profile-threads}: where the scheduler's own JVM spends its CPU, for the report
 * (JAVALAND_STATS {@code profile}). JFR samples the threads running Java code every 20 ms; each
 * sample counts for its thread, under the first frame of javaland's own code on its stack (the
 * top frame when there is none), and for the method on top. JIT compilations are counted with
 * their time and the methods that took longest. In the VM, where the JDK's own tools cannot reach,
 * this is how to tell what the JVM's CPU time per second of wall time (bench's sched_cpu_ms) is
 * made of. JFR's own threads cost CPU too: a diagnostic, not for measuring.
 */
final class ThreadProfile implements AutoCloseable {
  private static final int TOP = 8;
  private final RecordingStream stream = new RecordingStream();
  // JFR's event thread writes, the report reads after close()
  private final Map<String, Map<String, Integer>> byThreadOwn = new HashMap<>();
  private final Map<String, Map<String, Integer>> byThreadTop = new HashMap<>();
  private final Map<String, Integer> samples = new HashMap<>();
  private final Map<String, Double> compileMs = new HashMap<>();
  private long compilations;
  private double compilationMs;

  ThreadProfile() {
    stream.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(20)).withStackTrace();
    stream.enable("jdk.Compilation").withThreshold(Duration.ZERO);
    stream.onEvent("jdk.ExecutionSample", this::sample);
    stream.onEvent("jdk.Compilation", this::compilation);
    stream.startAsync();
  }

  private synchronized void sample(RecordedEvent e) {
    String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
    RecordedStackTrace st = e.getStackTrace();
    List<RecordedFrame> frames = st == null ? List.of() : st.getFrames();
    String top = frames.isEmpty() ? "?" : name(frames.get(0).getMethod());
    String own = top;
    for (RecordedFrame f : frames) {
      String n = name(f.getMethod());
      if (n.startsWith("javaland.")) {
        own = n;
        break;
      }
    }
    samples.merge(thread, 1, Integer::sum);
    byThreadOwn.computeIfAbsent(thread, t -> new HashMap<>()).merge(own, 1, Integer::sum);
    byThreadTop.computeIfAbsent(thread, t -> new HashMap<>()).merge(top, 1, Integer::sum);
  }

  private synchronized void compilation(RecordedEvent e) {
    double ms = e.getDuration().toNanos() / 1e6;
    compilations++;
    compilationMs += ms;
    RecordedMethod m = e.getValue("method");
    compileMs.merge(m == null ? "?" : name(m), ms, Double::sum);
  }

  private static String name(RecordedMethod m) {
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }

  @Override
  public void close() {
    stream.close();
  }

  /** Per thread its samples and where they fell; the compilations. */
  synchronized ObjectNode json() {
    ObjectNode j = JsonCodec.object().put("sample_ms", 20);
    ObjectNode threads = j.putObject("threads");
    samples.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(t -> {
      ObjectNode o = threads.putObject(t.getKey()).put("samples", t.getValue());
      o.set("own", top(byThreadOwn.get(t.getKey())));
      o.set("top", top(byThreadTop.get(t.getKey())));
    });
    ObjectNode c = j.putObject("compilations").put("count", compilations).put("ms", Math.round(compilationMs));
    ArrayNode longest = c.putArray("longest");
    compileMs.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(TOP)
        .forEach(e -> longest.addArray().add(e.getKey()).add(Math.round(e.getValue() * 10) / 10.0));
    return j;
  }

  private static ArrayNode top(Map<String, Integer> counts) {
    ArrayNode a = JsonCodec.object().arrayNode();
    counts.entrySet().stream().sorted(Comparator.comparing(Map.Entry<String, Integer>::getValue).reversed()).limit(TOP)
        .forEach(e -> a.addArray().add(e.getKey()).add(e.getValue()));
    return a;
  }
}
