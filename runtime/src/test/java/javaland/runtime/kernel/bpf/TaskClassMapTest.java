package javaland.runtime.kernel.bpf;

import javaland.sdk.TaskClass;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * What the classifier writes into task_classes is what BPF reads: a SEC("syscall") program
 * (bpf/test/wire_test.bpf.c, a 64-entry copy of the scheduler's map) looks entries up.
 */
class TaskClassMapTest {
  private static final long VALUE = 8;

  private BpfObject obj;
  private TaskClassMap map;
  private final Arena arena = Arena.ofConfined();

  @BeforeEach
  void load() {
    assumeTrue(BpfObjects.root(), "loading BPF programs needs root (CI runs as root)");
    obj = BpfObject.open(Libbpf.get(), BpfObjects.wireTest());
    obj.load();
    map = new TaskClassMap(Libbpf.get(), obj.mapFd("task_classes"));
  }

  @AfterEach
  void close() {
    if (map != null) map.close();
    if (obj != null) obj.close();
    arena.close();
  }

  private MemorySegment lookup(int pid) {
    MemorySegment args = arena.allocate(VALUE + Wire.TASK_CLASS.byteSize());
    args.set(ValueLayout.JAVA_INT, 0, pid);
    int cls = obj.testRun("lookup_class", args);
    return cls < 0 ? null : args.asSlice(VALUE);
  }

  private static long field(MemorySegment v, String name) {
    return v.get(ValueLayout.JAVA_LONG, Wire.off(Wire.TASK_CLASS, name));
  }

  @Test
  void anEntryArrivesIntactAndIsReplacedAndRemoved() {
    assertTrue(map.put(4242, 123_456_789L, TaskClass.LATENCY_CRITICAL.id(), 500_000, 3_000_000));
    MemorySegment v = lookup(4242);
    assertEquals(123_456_789L, field(v, "start_ticks"));
    assertEquals(500_000, field(v, "slice_min_ns"));
    assertEquals(3_000_000, field(v, "slice_max_ns"));
    assertEquals(TaskClass.LATENCY_CRITICAL.id(), v.get(ValueLayout.JAVA_INT, Wire.off(Wire.TASK_CLASS, "cls")));
    assertEquals(null, lookup(4243));

    assertTrue(map.put(4242, 123_456_789L, TaskClass.BATCH.id(), 0, 0));
    v = lookup(4242);
    assertEquals(TaskClass.BATCH.id(), v.get(ValueLayout.JAVA_INT, Wire.off(Wire.TASK_CLASS, "cls")));
    assertEquals(0, field(v, "slice_min_ns"));

    map.remove(4242);
    assertEquals(null, lookup(4242));
    map.remove(4242); // gone already (BPF deletes exited tasks itself): not an error
    assertEquals(0, map.refused());
  }

  @Test
  void aFullMapRefusesAndSaysSo() {
    for (int pid = 1; pid <= 64; pid++) assertTrue(map.put(pid, pid, TaskClass.BATCH.id(), 0, 0), "pid " + pid);
    assertFalse(map.put(65, 65, TaskClass.BATCH.id(), 0, 0));
    assertEquals(1, map.refused());
    assertTrue(map.put(64, 64, TaskClass.BACKGROUND.id(), 0, 0), "replacing an entry needs no room");
  }

  @Test
  void nothingIsWrittenOnceClosed() {
    map.close();
    assertFalse(map.put(7, 7, TaskClass.BATCH.id(), 0, 0));
    assertEquals(null, lookup(7));
  }
}
