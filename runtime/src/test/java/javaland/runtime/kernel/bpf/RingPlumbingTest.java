package javaland.runtime.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import javaland.runtime.kernel.TaskBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both rings, end to end through a real kernel, without sched_ext: SEC("syscall") programs
 * (bpf/test/wire_test.bpf.c) write task records and drain decisions with the scheduler's
 * layouts, while Java reads and writes the shared pages exactly as the dispatch loop does.
 */
class RingPlumbingTest {
  private static final int RECORD = (int) Wire.QUEUED_TASK.byteSize() + 8;
  private static final int DECISION = (int) Wire.DECISION.byteSize();
  private static final int RING = 64 * 1024;

  private BpfObject obj;
  private RingBufferReader reader;
  private UserRingBufferWriter writer;
  private LiveSection bss;
  private final Arena arena = Arena.ofConfined();

  @BeforeEach
  void load() {
    assumeTrue(BpfObjects.root(), "loading BPF programs needs root (CI runs as root)");
    obj = BpfObject.open(Libbpf.get(), BpfObjects.wireTest());
    obj.load();
    reader = obj.ringBufferReader("queued");
    writer = obj.userRingBufferWriter("decisions");
    bss = obj.liveSection(".bss");
  }

  @AfterEach
  void close() {
    if (obj != null) obj.close();
    arena.close();
  }

  private int produce(int count, int firstPid, long firstSeq) {
    MemorySegment args = arena.allocate(16);
    args.set(ValueLayout.JAVA_INT, 0, count);
    args.set(ValueLayout.JAVA_INT, 4, firstPid);
    args.set(ValueLayout.JAVA_LONG, 8, firstSeq);
    return obj.testRun("produce", args);
  }

  private int consume() {
    return obj.testRun("consume", arena.allocate(8));
  }

  private long result(long offset) {
    return bss.variable("result", 32 + Wire.DECISION.byteSize()).get(ValueLayout.JAVA_LONG, offset);
  }

  @Test
  void taskRecordsArriveIntactAndInOrder() {
    assertEquals(300, produce(300, 1000, 50));
    TaskBatch batch = new TaskBatch(128);
    int seen = 0;
    while (seen < 300) {
      batch.clear();
      int n = reader.read((data, at, len) -> {
        assertEquals(Wire.QUEUED_TASK.byteSize(), len);
        Wire.readTask(data, at, batch);
      }, 128);
      assertTrue(n > 0, "records stopped after " + seen);
      for (int i = 0; i < n; i++) {
        int k = seen + i;
        assertEquals(1000 + k, batch.pid(i));
        assertEquals(4242, batch.tgid(i));
        assertEquals(k % 4, batch.prevCpu(i));
        assertEquals(2, batch.nrCpusAllowed(i));
        assertEquals(50L + k, batch.seq(i));
        assertEquals(10L * k, batch.enqueuedAtNs(i));
        assertEquals(100L * k, batch.execNs(i));
        assertEquals(1000L * k, batch.vtime(i));
        assertEquals(100 + k, batch.weight(i));
        assertEquals((k & 1) == 1, batch.wokeUp(i));
        assertEquals("worker-thread-x", batch.comm(i));
      }
      seen += n;
    }
    assertTrue(!reader.hasData(), "ring should be empty");
    assertEquals(0, reader.read((d, a, l) -> { }, 10));
  }

  @Test
  void theTaskRingWrapsAroundWithoutLosingRecords() {
    // 64 KiB holds 744 records of 88 bytes: 20 rounds of 500 cross the end many times.
    TaskBatch batch = new TaskBatch(512);
    long pidSum = 0;
    long expected = 0;
    for (int round = 0; round < 20; round++) {
      assertEquals(500, produce(500, round * 1000, 0));
      batch.clear();
      int n = reader.read((data, at, len) -> Wire.readTask(data, at, batch), 512);
      assertEquals(500, n, "round " + round);
      for (int i = 0; i < n; i++) {
        pidSum += batch.pid(i);
        expected += round * 1000 + i;
        assertEquals("worker-thread-x", batch.comm(i));
      }
    }
    assertEquals(expected, pidSum);
  }

  @Test
  void aFullTaskRingRefusesRatherThanOverwrites() {
    int made = produce(1000, 1, 0);
    assertEquals(RING / RECORD, made, "the kernel stops at capacity");
    assertEquals((long) made * RECORD, reader.backlogBytes());
  }

  @Test
  void decisionsReachTheKernelIntact() {
    long pidSum = 0;
    long seqSum = 0;
    for (int i = 0; i < 500; i++) {
      long r = writer.reserve(DECISION);
      assertTrue(r >= 0);
      Wire.writeDecision(writer.data(), writer.payloadOffset(r), 7000 + i, 90_000L + i, i % 3 - 1, 1_000_000L, 5L * i, 6L * i, 7L * i, -8L * i);
      writer.submit(r, DECISION);
      pidSum += 7000 + i;
      seqSum += 90_000L + i;
    }
    assertEquals(500, consume());
    assertEquals(500, result(0));
    assertEquals(pidSum, result(8));
    assertEquals(seqSum, result(16));
    assertEquals(0, result(24), "records of the wrong size");
    MemorySegment last = bss.variable("result", 32 + Wire.DECISION.byteSize()).asSlice(32);
    assertEquals(7499, last.get(ValueLayout.JAVA_INT, Wire.D_PID));
    assertEquals(499 % 3 - 1, last.get(ValueLayout.JAVA_INT, Wire.D_CPU));
    assertEquals(90_499L, last.get(ValueLayout.JAVA_LONG, Wire.D_SEQ));
    assertEquals(1_000_000L, last.get(ValueLayout.JAVA_LONG, Wire.D_SLICE));
    assertEquals(5L * 499, last.get(ValueLayout.JAVA_LONG, Wire.D_DEADLINE));
    assertEquals(6L * 499, last.get(ValueLayout.JAVA_LONG, Wire.D_VTIME));
    assertEquals(7L * 499, last.get(ValueLayout.JAVA_LONG, Wire.D_WAKE_SLICE));
    assertEquals(-8L * 499, last.get(ValueLayout.JAVA_LONG, Wire.D_WAKE_DEADLINE), "the offset is signed");
    assertEquals(0, writer.backlogBytes(), "the kernel consumed everything");
  }

  @Test
  void theDecisionRingFillsUpAndDrainsAcrossTheWrap() {
    int fit = 0;
    while (writer.reserve(DECISION) >= 0) fit++;
    // Reserved but never submitted records block the kernel: that is the BUSY bit at work.
    assertEquals(RING / (DECISION + 8), fit);
    assertEquals(0, consume(), "busy records must not be consumed");
  }

  @Test
  void manyRoundsOfDecisionsWrapTheRing() {
    long total = 0;
    for (int round = 0; round < 30; round++) {
      for (int i = 0; i < 1000; i++) {
        long r = writer.reserve(DECISION);
        assertTrue(r >= 0, "round " + round + " record " + i);
        Wire.writeDecision(writer.data(), writer.payloadOffset(r), 1, round, -1, 0, 0, 0, 0, 0);
        writer.submit(r, DECISION);
      }
      total += consume();
    }
    assertEquals(30_000, total);
    assertEquals(30_000, result(0));
  }
}
