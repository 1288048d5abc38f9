package javaland.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskBatchTest {
  private static void setComm(TaskBatch b, int i, String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, b.commBytes(), i * TaskBatch.COMM_LEN, Math.min(bytes.length, TaskBatch.COMM_LEN));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void capacityMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskBatch(0));
    assertTrue(e.getMessage().contains("0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TaskBatch(-1));
  }

  @Test
  void addStoresEveryFieldAndReturnsTheIndex() {
    TaskBatch b = new TaskBatch(4);
    assertEquals(4, b.capacity());
    assertEquals(0, b.size());
    assertEquals(0, b.add(11, 10, 3, 2, 100, true, 99, 1_000, 2_000, 3_000));
    assertEquals(1, b.add(21, 20, 1, 8, 10_000, false, Long.MAX_VALUE, -1, 0, Long.MIN_VALUE));
    assertEquals(2, b.size());
    assertEquals(11, b.pid(0));
    assertEquals(10, b.tgid(0));
    assertEquals(3, b.prevCpu(0));
    assertEquals(2, b.nrCpusAllowed(0));
    assertEquals(100, b.weight(0));
    assertTrue(b.wokeUp(0));
    assertEquals(99, b.seq(0));
    assertEquals(1_000, b.enqueuedAtNs(0));
    assertEquals(2_000, b.execNs(0));
    assertEquals(3_000, b.vtime(0));
    assertEquals(21, b.pid(1));
    assertFalse(b.wokeUp(1));
    assertEquals(Long.MAX_VALUE, b.seq(1));
    assertEquals(Long.MIN_VALUE, b.vtime(1));
    assertEquals(10_000, b.weight(1));
  }

  @Test
  void overflowIsAnErrorAndClearEmpties() {
    TaskBatch b = new TaskBatch(3);
    for (int k = 0; k < 3; k++) b.add(k, k, 0, 1, 100, false, k, 0, 0, 0);
    assertTrue(b.isFull());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> b.add(9, 9, 0, 1, 100, false, 9, 0, 0, 0));
    assertTrue(e.getMessage().contains("full") && e.getMessage().contains("3"), e.getMessage());
    assertEquals(3, b.size(), "a failed add leaves the batch as it was");
    assertEquals(2, b.pid(2));
    b.clear();
    assertEquals(0, b.size());
    assertFalse(b.isFull());
    assertEquals(0, b.add(7, 7, 0, 1, 100, true, 7, 0, 0, 0));
    assertEquals(7, b.pid(0));
    assertTrue(b.wokeUp(0));
  }

  @Test
  void commIsDecodedUpToTheFirstNul() {
    TaskBatch b = new TaskBatch(4);
    for (int k = 0; k < 4; k++) b.add(k, k, 0, 1, 100, false, k, 0, 0, 0);
    setComm(b, 0, "bash");
    setComm(b, 1, "0123456789abcdef"); // all 16 bytes used, no NUL
    setComm(b, 3, "kworker/0:1");
    b.commBytes()[3 * 16 + 7] = 0; // "kworker" then garbage after the NUL
    assertEquals("bash", b.comm(0));
    assertEquals("0123456789abcdef", b.comm(1), "a full name without NUL");
    assertEquals("", b.comm(2), "no name");
    assertEquals("kworker", b.comm(3), "stops at the first NUL");
  }

  @Test
  void commDecodesUtf8() {
    TaskBatch b = new TaskBatch(1);
    b.add(1, 1, 0, 1, 100, false, 1, 0, 0, 0);
    setComm(b, 0, "größe");
    assertEquals("größe", b.comm(0));
  }

  @Test
  void addClearsTheCommOfAReusedSlot() {
    TaskBatch b = new TaskBatch(2);
    b.add(1, 1, 0, 1, 100, false, 1, 0, 0, 0);
    setComm(b, 0, "0123456789abcdef");
    b.clear();
    b.add(2, 2, 0, 1, 100, false, 2, 0, 0, 0);
    assertEquals("", b.comm(0), "the previous task's name must not leak into the next one");
    setComm(b, 0, "sh");
    assertEquals("sh", b.comm(0));
  }

  @Test
  void commStartsWith() {
    TaskBatch b = new TaskBatch(3);
    for (int k = 0; k < 3; k++) b.add(k, k, 0, 1, 100, false, k, 0, 0, 0);
    setComm(b, 0, "kswapd0");
    setComm(b, 1, "0123456789abcdef");
    setComm(b, 2, "ksw");
    assertTrue(b.commStartsWith(0, ascii("kswapd")));
    assertTrue(b.commStartsWith(0, ascii("kswapd0")));
    assertTrue(b.commStartsWith(0, ascii("")), "everything starts with nothing");
    assertFalse(b.commStartsWith(0, ascii("kswapd01")), "longer than the name");
    assertFalse(b.commStartsWith(0, ascii("kSwapd")));
    assertFalse(b.commStartsWith(2, ascii("kswapd")), "a shorter name is not a match");
    assertFalse(b.commStartsWith(1, ascii("kswapd")), "other tasks are not mixed up");
    assertTrue(b.commStartsWith(1, ascii("0123456789abcdef")), "all 16 bytes");
    assertFalse(b.commStartsWith(1, ascii("0123456789abcdefk")),
        "longer than COMM_LEN, even where the next task's name would continue it");
    assertFalse(b.commStartsWith(2, ascii("ksw\0\0\0\0\0\0\0\0\0\0\0\0\0\0")), "17 bytes at the last slot");
    assertTrue(b.commStartsWith(2, ascii("ksw")));
  }
}
