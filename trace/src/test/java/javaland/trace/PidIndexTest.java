package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PidIndexTest {
  @Test
  void pidsGetDenseIndexesInOrderOfFirstSightThatSurviveGrowth() {
    PidIndex idx = new PidIndex();
    Map<Integer, Integer> expected = new HashMap<>();
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      int pid = i % 3 == 0 ? rnd.nextInt(4_194_304) : 1000 + rnd.nextInt(5000); // scattered, and dense with repeats
      Integer before = expected.putIfAbsent(pid, expected.size());
      assertEquals(before == null ? expected.size() - 1 : before, idx.add(pid), "pid " + pid);
    }
    assertEquals(expected.size(), idx.size());
    for (Map.Entry<Integer, Integer> e : expected.entrySet()) assertEquals(e.getValue(), idx.indexOf(e.getKey()));
    assertEquals(-1, idx.indexOf(4_194_305));
    assertEquals(-1, idx.indexOf(0));
  }
}
