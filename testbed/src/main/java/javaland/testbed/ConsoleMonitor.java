package javaland.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the guest's serial console line by line: the JL_MARK progress markers, the JL_RESULT
 * lines, and the signs of a guest kernel crash. Knows nothing about processes or time, so it can
 * be fed recorded consoles in tests. Thread-safe (one reader thread feeds it, another polls it).
 */
public final class ConsoleMonitor {

  /** Something worth telling the user about. */
  public record Event(Kind kind, String scenario, String text) {}

  public enum Kind { BOOTED, MARK, RESULT, BAD_RESULT, CRASH, DONE }

  /** Kernel messages that mean the guest kernel is broken (not merely a scheduler error exit). */
  static final Pattern CRASH = Pattern.compile(
      "(Oops:|BUG:|Kernel panic|general protection fault|kernel BUG at|Unable to handle kernel)");
  private static final Pattern ANSI = Pattern.compile("\u001B(\\[[0-9;?]*[A-Za-z]|[A-Za-z])");
  private static final Pattern MARK = Pattern.compile("JL_MARK (\\S+) ?(.*)");
  private static final Pattern RESULT = Pattern.compile("JL_RESULT (\\S+) (\\{.*)");
  private static final Pattern LOG_BEGIN = Pattern.compile("JL_LOG_BEGIN (\\S+)");
  private static final Pattern LOG_END = Pattern.compile("JL_LOG_END (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, JsonNode> results = new LinkedHashMap<>();
  private final Set<String> finished = new LinkedHashSet<>();
  private String current = "boot";
  private String inLog;
  private String crash;
  private String crashDuring;
  private Set<String> finishedBeforeCrash = Set.of();
  private boolean booted;
  private boolean done;
  private String bootInfo = "";

  /** Removes terminal escapes and carriage returns. */
  static String clean(String raw) {
    return ANSI.matcher(raw).replaceAll("").replace("\r", "");
  }

  /** Feeds one console line; returns what happened. */
  public synchronized List<Event> accept(String raw) {
    String line = clean(raw);
    List<Event> events = new ArrayList<>(1);
    int at = line.indexOf("JL_");
    String jl = at >= 0 ? line.substring(at) : "";
    Matcher m;
    if (inLog != null) {
      if ((m = LOG_END.matcher(jl)).lookingAt() && m.group(1).equals(inLog)) inLog = null;
      return events; // a scheduler's log may say anything: never parse it
    }
    if ((m = LOG_BEGIN.matcher(jl)).lookingAt()) {
      inLog = m.group(1);
      return events;
    }
    if ((m = RESULT.matcher(jl)).lookingAt()) {
      String scenario = m.group(1);
      JsonNode node = parseObject(m.group(2));
      if (node != null) {
        results.putIfAbsent(scenario, node);
        events.add(new Event(Kind.RESULT, scenario, "result received"));
      } else {
        events.add(new Event(Kind.BAD_RESULT, scenario, "unparseable JL_RESULT line"));
      }
      return events;
    }
    if ((m = MARK.matcher(jl)).lookingAt()) {
      String scenario = m.group(1);
      String text = m.group(2).trim();
      if (scenario.equals("boot")) {
        if (text.startsWith("booted")) {
          booted = true;
          bootInfo = text.substring("booted".length()).trim();
          events.add(new Event(Kind.BOOTED, "boot", bootInfo));
        } else if (text.startsWith("done")) {
          done = true;
          current = "shutdown";
          events.add(new Event(Kind.DONE, "boot", text));
        } else {
          events.add(new Event(Kind.MARK, scenario, text));
        }
        return events;
      }
      if (text.equals("start")) {
        current = scenario;
      } else if (text.startsWith("end")) {
        finished.add(scenario);
        current = "between scenarios";
      }
      events.add(new Event(Kind.MARK, scenario, text));
      return events;
    }
    if (at < 0) {
      Matcher c = CRASH.matcher(line);
      if (c.find() && crash == null) {
        crash = line.strip();
        crashDuring = current;
        finishedBeforeCrash = Set.copyOf(finished);
        events.add(new Event(Kind.CRASH, current, crash));
      }
    }
    return events;
  }

  /** Results written to the second serial port (a file): these win over the console's copies. */
  public synchronized void acceptResultLines(List<String> lines) {
    for (String raw : lines) {
      Matcher m = RESULT.matcher(clean(raw).strip());
      if (m.lookingAt()) {
        JsonNode node = parseObject(m.group(2));
        if (node != null) results.put(m.group(1), node);
      }
    }
  }

  private static JsonNode parseObject(String text) {
    try {
      JsonNode n = JSON.readTree(text.strip());
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  public synchronized Map<String, JsonNode> results() {
    return Map.copyOf(results);
  }

  public synchronized boolean hasResults(List<String> scenarios) {
    return results.keySet().containsAll(scenarios);
  }

  public synchronized String crash() {
    return crash;
  }

  public synchronized String crashDuring() {
    return crashDuring;
  }

  public synchronized Set<String> finishedBeforeCrash() {
    return finishedBeforeCrash;
  }

  public synchronized boolean booted() {
    return booted;
  }

  public synchronized boolean done() {
    return done;
  }

  public synchronized String bootInfo() {
    return bootInfo;
  }
}
