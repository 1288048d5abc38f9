package javaland.runtime.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javaland.api.LearnedClass;
import javaland.models.json.JsonCodec;
import javaland.runtime.kernel.TaskInfo;
import javaland.sdk.TaskClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learned classes' history fuzzed: a history a real store wrote, with one line damaged (a
 * field of the wrong type or value, a field missing, the line cut, bytes that are not text). Opening
 * it either replays a history whose every entry is one a change could have made, its rules in force
 * matching, or is refused with an IllegalArgumentException naming the file and the damaged line; a
 * cut last line is a crash mid-append and the rest is replayed as if it were not there.
 */
class LearnedClassFuzzTest {
  @TempDir
  Path dir;

  private static final String[] COMMS = {"probe", "hog", "redis-server", "cc1", "postgres", "x", "café", "fifteen-chars15"};

  /** A history written by a real store through a random series of changes. */
  private List<String> history(SplittableRandom r) throws Exception {
    Path d = Files.createTempDirectory(dir, "h");
    LearnedClassStore s = LearnedClassStore.open(d, l -> {});
    for (int k = r.nextInt(2, 12); k > 0; k--) {
      String comm = COMMS[r.nextInt(COMMS.length)];
      try {
        switch (r.nextInt(5)) {
          case 0, 1 -> s.propose(comm, TaskClass.assignableLabels().get(r.nextInt(TaskClass.assignableLabels().size())),
              Map.of("wakeups_per_s", r.nextDouble() * 500), "reason é " + k, "learner");
          case 2 -> s.commit(comm, "better", "learner");
          case 3 -> s.pin(comm, "keep", "person");
          default -> s.reject(comm, "no", "person");
        }
      } catch (IllegalStateException | java.util.NoSuchElementException refused) {
        // a change the store refuses writes nothing, as a history would have it
      }
    }
    Path f = d.resolve(LearnedClassStore.FILE);
    return Files.exists(f) ? new ArrayList<>(Files.readAllLines(f)) : new ArrayList<>(List.of(JsonCodec.write(
        new LearnedClass("hog", "batch", "canary", 1, "2026-01-01T00:00:00Z", "learner", "r", Map.of()))));
  }

  private static final Object[] VALUES = {null, 0, -1, 1.5, true, "", "x", "bogus", "x".repeat(16), "latency-critical",
      "rejected", "java", List.of(), Map.of(), Long.MAX_VALUE, "9".repeat(30)};
  private static final String[] FIELDS = {"comm", "taskClass", "state", "version", "at", "author", "reason", "evidence"};

  /** {@code line} damaged one way; the result is a line of the file (it may hold more than one when a newline went in). */
  private static byte[] damage(SplittableRandom r, String line) {
    ObjectNode o = (ObjectNode) JsonCodec.readTree(line);
    String field = FIELDS[r.nextInt(FIELDS.length)];
    String out = switch (r.nextInt(6)) {
      case 0, 1 -> JsonCodec.write(o.putPOJO(field, VALUES[r.nextInt(VALUES.length)]));
      case 2 -> JsonCodec.write(o.without(field));
      case 3 -> JsonCodec.write(o.put("colour", "red"));
      case 4 -> "\uFEFF" + line;
      default -> "null";
    };
    return out.getBytes(StandardCharsets.UTF_8);
  }

  private static TaskInfo task(String comm) {
    return new TaskInfo(42, 42, comm, "/usr/bin/" + comm, "/user.slice", 1000, 1000, 0, 1);
  }

  /** Every entry one that a change could have made, and exactly the ones in force have a rule that classes their command. */
  private static void checkReplayed(LearnedClassStore s, String why) {
    RuleSet rs = s.below(RuleSet.EMPTY);
    long inForce = 0;
    for (LearnedClass c : s.list().classes()) {
      assertTrue(c.comm() != null && !c.comm().isEmpty() && c.comm().length() <= 15, c + why);
      assertTrue(c.taskClass() != null && TaskClass.assignable(c.taskClass()).isPresent(), c + why);
      assertTrue(LearnedClassStore.STATES.contains(c.state()), c + why);
      assertTrue(c.version() >= 1 && c.version() <= s.version(), c + why);
      boolean on = List.of("canary", "committed", "pinned").contains(c.state());
      if (on) inForce++;
      Rule first = rs.firstMatch(task(c.comm()), new AtomicLong());
      assertEquals(on ? TaskClass.assignable(c.taskClass()).orElseThrow() : null, first == null ? null : first.action().taskClass(), c + why);
    }
    assertEquals(inForce, rs.rules().size(), why);
  }

  private LearnedClassStore openBytes(byte[] b) throws Exception {
    Path d = Files.createTempDirectory(dir, "o");
    Files.write(d.resolve(LearnedClassStore.FILE), b);
    return LearnedClassStore.open(d, l -> {});
  }

  private static byte[] join(List<byte[]> lines, boolean lastNewline) {
    var out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      out.writeBytes(lines.get(i));
      if (i < lines.size() - 1 || lastNewline) out.write('\n');
    }
    return out.toByteArray();
  }

  @Test
  void aDamagedLineIsRefusedByFileAndLineACutLastLineIsIgnored() throws Exception {
    SplittableRandom r = new SplittableRandom(20_261_510);
    int n = 0;
    int opened = 0;
    int refused = 0;
    int torn = 0;
    for (; n < 400; n++) {
      List<String> text = history(r);
      List<byte[]> lines = new ArrayList<>();
      for (String l : text) lines.add(l.getBytes(StandardCharsets.UTF_8));
      int at = r.nextInt(lines.size());
      boolean cut = r.nextInt(3) == 0;
      byte[] orig = lines.get(at);
      // a cut: anywhere, even inside a character, as a crash mid-append leaves it
      byte[] bad = cut ? java.util.Arrays.copyOf(orig, r.nextInt(1, orig.length)) : damage(r, text.get(at));
      if (!cut && r.nextInt(8) == 0) {
        bad = java.util.Arrays.copyOf(bad, bad.length + 1);
        bad[bad.length - 1] = (byte) 0xC3; // the first half of a two-byte character
      }
      lines.set(at, bad);
      boolean last = at == lines.size() - 1;
      byte[] file = join(lines, !(cut && last));
      String why = " for line " + (at + 1) + ": " + new String(bad, StandardCharsets.UTF_8);
      LearnedClassStore s;
      try {
        s = openBytes(file);
      } catch (IllegalArgumentException e) {
        refused++;
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains(LearnedClassStore.FILE + ":" + (at + 1) + ": "),
            "names the file and the damaged line: " + e.getMessage() + why);
        continue;
      } catch (Throwable t) {
        throw new AssertionError("not an IllegalArgumentException" + why, t);
      }
      opened++;
      checkReplayed(s, why);
      if (cut && last) {
        torn++;
        LearnedClassStore without = openBytes(join(lines.subList(0, at), true));
        assertEquals(without.list(), s.list(), "a torn last line is as if it were not written" + why);
      }
    }
    assertTrue(opened > 20 && refused > 20 && torn > 10, opened + " opened, " + refused + " refused, " + torn + " torn");
    System.out.println("LearnedClassFuzzTest: " + n + " cases, " + opened + " opened (" + torn + " with a torn last line), " + refused + " refused");
  }

  /** Minimized from the fuzzing: these replayed without a word and failed later, or put a class in force no rule has. */
  @Test
  void entriesNoChangeCouldHaveWrittenAreRefusedWithTheirLine() throws Exception {
    String good = "{\"comm\":\"hog\",\"taskClass\":\"batch\",\"state\":\"canary\",\"version\":1}";
    for (String[] c : new String[][] {
        {"{\"comm\":\"hog\",\"taskClass\":\"batch\",\"version\":2}", "state: nothing (null) is not one of"},
        {"{\"comm\":\"hog\",\"taskClass\":\"urgent\",\"state\":\"canary\",\"version\":2}", "taskClass: 'urgent' is not one of"},
        {"{\"taskClass\":\"batch\",\"state\":\"canary\",\"version\":2}", "comm: 1..15 characters expected, got nothing (null)"},
        {"{\"comm\":\"hog\",\"taskClass\":\"batch\",\"state\":\"gone\",\"version\":2}", "state: 'gone' is not one of"},
        {"null", "not a learned class: null"}}) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> openBytes((good + "\n" + c[0] + "\n").getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().contains(LearnedClassStore.FILE + ":2: " + c[1]), e.getMessage());
    }
    // a crash inside a two-byte character of the last line: the history before it still opens
    byte[] cut = (good + "\n{\"comm\":\"caf\u00e9").getBytes(StandardCharsets.UTF_8);
    LearnedClassStore s = openBytes(java.util.Arrays.copyOf(cut, cut.length - 1));
    assertEquals(1, s.list().classes().size());
  }
}
