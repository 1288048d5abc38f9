package javaland.runtime.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javaland.runtime.kernel.Exemption;
import javaland.runtime.kernel.SchedEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduling-event ring end to end through a real kernel, without sched_ext: a
 * SEC("syscall") program (bpf/test/wire_test.bpf.c) calls the scheduler's own sched_event()
 * (bpf/sched_events.h) with known values; {@link SchedEventReader} decodes what arrives.
 */
class SchedEventRingTest {
  private static final int RECORD = (int) Wire.SCHED_EVENT.byteSize() + 8;

  private BpfObject obj;
  private final Arena arena = Arena.ofConfined();
  private final Log log = new Log();

  /** Everything the listener heard, as text, in order. */
  static final class Log implements SchedEventListener {
    final List<String> lines = new ArrayList<>();
    final Set<Integer> announced = new HashSet<>();
    long lost;
    long lastTs;
    boolean ordered = true;

    @Override
    public void task(int pid, int tgid, String comm, int weight, Exemption exempt) {
      announced.add(pid);
      lines.add("task " + pid + " " + tgid + " '" + comm + "' " + weight + (exempt.exempt() ? " exempt" : ""));
    }

    private void event(long ts, int pid, String what) {
      if (!announced.contains(pid) || ts < lastTs || ts <= 0) ordered = false;
      lastTs = ts;
      lines.add(what);
    }

    @Override
    public void runnable(long nowNs, int cpu, int pid, int wakerPid, boolean wokeUp) {
      event(nowNs, pid, "runnable " + pid + " waker " + wakerPid + (wokeUp ? " woke" : ""));
    }

    @Override
    public void running(long nowNs, int cpu, int pid, long sliceNs) {
      event(nowNs, pid, "running " + pid + (sliceNs > 0 ? " slice " + sliceNs / 1000 + "us" : ""));
    }

    @Override
    public void stopping(long nowNs, int cpu, int pid, boolean stillRunnable, boolean dead, long sliceLeftNs) {
      event(nowNs, pid, "stopping " + pid + (stillRunnable ? " runnable" : "") + (dead ? " dead" : "")
          + (sliceLeftNs > 0 ? " left " + sliceLeftNs / 1000 + "us" : ""));
    }

    @Override
    public void lost(long nowNs, long count) {
      lost += count;
      lines.add("lost " + count);
    }
  }

  @AfterEach
  void close() {
    if (obj != null) obj.close();
    arena.close();
  }

  private SchedEventReader load(boolean enabled, int ringBytes) {
    assumeTrue(BpfObjects.root(), "loading BPF programs needs root (CI runs as root)");
    obj = BpfObject.open(Libbpf.get(), BpfObjects.wireTest());
    obj.setRodataInt("trace_enabled", enabled ? 1 : 0);
    obj.setMapMaxEntries("sched_events", ringBytes);
    obj.load();
    return SchedEventReader.of(obj, obj.liveSection(".bss"), log);
  }

  private int emit(int count, int firstPid) {
    MemorySegment args = arena.allocate(8);
    args.set(ValueLayout.JAVA_INT, 0, count);
    args.set(ValueLayout.JAVA_INT, 4, firstPid);
    return obj.testRun("emit_events", args);
  }

  @Test
  void eventsArriveDecodedAndEachTaskIsAnnouncedFirst() {
    SchedEventReader r = load(true, 64 * 1024);
    assertEquals(12, emit(12, 500));
    assertEquals(12, r.drain());
    // Event i: kind ENABLE, RUNNABLE, RUNNING, STOPPING by i % 4; flags (i / 4) & 3; arg i & 4 ? 0 : 3i;
    // weight 100 + i; comm only on ENABLE and RUNNABLE.
    assertEquals(List.of(
        "task 500 4242 'stress-ng-cpu:1' 100",
        "task 501 4242 'stress-ng-cpu:1' 101", "runnable 501 waker 3",
        "task 502 4242 '' 102", "running 502 slice 6us",
        "task 503 4242 '' 103", "stopping 503 runnable left 4us",
        "task 504 4242 'stress-ng-cpu:1' 104",
        "task 505 4242 'stress-ng-cpu:1' 105", "runnable 505 waker 0 woke",
        "task 506 4242 '' 106", "running 506",
        "task 507 4242 '' 107", "stopping 507",
        "task 508 4242 'stress-ng-cpu:1' 108",
        "task 509 4242 'stress-ng-cpu:1' 109", "runnable 509 waker 27",
        "task 510 4242 '' 110", "running 510 slice 30us",
        "task 511 4242 '' 111", "stopping 511 runnable dead left 16us"), log.lines);
    assertTrue(log.ordered, "every event after its task's announcement, in time order: " + log.lines);
    assertEquals(12, r.delivered());
    assertEquals(12, r.kernelEvents());
    assertEquals(0, r.kernelLost());
    assertEquals(0, r.malformed());
    assertEquals(0, r.drain(), "nothing left");
  }

  @Test
  void aPidSeenAgainIsAnnouncedOnlyWhenSomethingChanged() {
    SchedEventReader r = load(true, 64 * 1024);
    emit(4, 700);
    r.drain();
    int before = log.lines.size();
    emit(4, 700); // the same tgids, comms and weights again
    r.drain();
    assertEquals(List.of("runnable 701 waker 3", "running 702 slice 6us", "stopping 703 runnable left 4us"),
        List.copyOf(log.lines.subList(before, log.lines.size())));
    before = log.lines.size();
    emit(3, 701); // shifted by one: each pid now has another weight, 702 a comm it lacked
    r.drain();
    assertEquals(List.of(
        "task 701 4242 'stress-ng-cpu:1' 100",
        "task 702 4242 'stress-ng-cpu:1' 101", "runnable 702 waker 3",
        "task 703 4242 '' 102", "running 703 slice 6us"), List.copyOf(log.lines.subList(before, log.lines.size())));
  }

  @Test
  void theExemptFlagComesWithTheEventsThatCarryACommAndIsKeptByTheOthers() {
    SchedEventReader r = load(true, 64 * 1024);
    emit(20, 900); // events 16..19 (pids 916..919) have flags 4: JL_EVF_EXEMPT
    r.drain();
    List<String> tail = List.copyOf(log.lines.subList(log.lines.size() - 7, log.lines.size()));
    assertEquals(List.of(
        "task 916 4242 'stress-ng-cpu:1' 116 exempt",
        "task 917 4242 'stress-ng-cpu:1' 117 exempt", "runnable 917 waker 51",
        "task 918 4242 '' 118", "running 918 slice 54us", // RUNNING and STOPPING say nothing of it
        "task 919 4242 '' 119"), tail.subList(0, 6));
    int before = log.lines.size();
    emit(3, 914); // 916 again, by a RUNNING (no comm, no flag) with another weight: still exempt
    r.drain();
    assertEquals("task 916 4242 'stress-ng-cpu:1' 102 exempt", log.lines.get(log.lines.size() - 2));
    before = log.lines.size();
    emit(2, 916); // 916's ENABLE and 917's RUNNABLE, now without the flag: no longer exempt
    r.drain();
    assertEquals(List.of("task 916 4242 'stress-ng-cpu:1' 100", "task 917 4242 'stress-ng-cpu:1' 101",
        "runnable 917 waker 3"), List.copyOf(log.lines.subList(before, log.lines.size())));
  }

  @Test
  void aFullRingDropsAndCountsWhatItCannotHold() {
    SchedEventReader r = load(true, 4096);
    int fits = 4096 / RECORD;
    assertEquals(300, emit(300, 1));
    assertEquals(fits, r.kernelEvents());
    assertEquals(300 - fits, r.kernelLost());
    assertEquals(fits, r.drain());
    assertEquals(300 - fits, log.lost, "the drop count reaches the listener once");
    assertEquals("lost " + (300 - fits), log.lines.getLast());
    r.drain();
    assertEquals(300 - fits, log.lost, "and is not repeated");
  }

  @Test
  void offMeansNothingIsWritten() {
    SchedEventReader r = load(false, 4096);
    assertEquals(50, emit(50, 1));
    assertEquals(0, r.drain());
    assertEquals(0, r.kernelEvents());
    assertEquals(0, r.kernelLost());
    assertTrue(log.lines.isEmpty());
  }

  @Test
  void theReaderThreadDrainsWhileEventsWrapTheRingAndCloseReadsTheRest() throws Exception {
    SchedEventReader r = load(true, 16 * 1024);
    r.start();
    int sent = 0;
    for (int round = 0; round < 40; round++) {
      sent += emit(100, 10_000 + round * 100); // 100 x 56 bytes: a third of the ring a round
      // until the reader has drained the round, not a fixed sleep: on a loaded host three poll
      // periods were not always enough for the reader thread to run, and the ring overflowed
      long until = System.nanoTime() + 10_000_000_000L;
      while (r.delivered() < sent && System.nanoTime() < until) Thread.sleep(SchedEventReader.POLL_MS);
    }
    r.close();
    assertNull(r.failure());
    assertEquals(0, r.kernelLost(), "the reader kept up");
    assertEquals(sent, r.delivered());
    // a quarter of them are ENABLE, which only announce
    assertEquals(sent - sent / 4, log.lines.stream().filter(l -> !l.startsWith("task ")).count());
    assertTrue(log.ordered);
  }

  @Test
  void theExemptKindIsReadFromTheFlagsBesideTheExemptBit() {
    assertEquals(Exemption.NONE, SchedEventReader.exemption(Wire.EVF_WAKEUP | Wire.EVF_EXEMPT_DISPATCHER), "no exempt bit");
    assertEquals(Exemption.JVM_THREAD, SchedEventReader.exemption(Wire.EVF_EXEMPT | Wire.EVF_WAKEUP));
    assertEquals(Exemption.DISPATCHER, SchedEventReader.exemption(Wire.EVF_EXEMPT | Wire.EVF_EXEMPT_DISPATCHER));
    assertEquals(Exemption.PERCPU_KTHREAD, SchedEventReader.exemption(Wire.EVF_EXEMPT | Wire.EVF_EXEMPT_PERCPU));
    assertEquals(Exemption.RECLAIM_KTHREAD, SchedEventReader.exemption(Wire.EVF_EXEMPT | Wire.EVF_EXEMPT_RECLAIM | Wire.EVF_DEAD));
    assertEquals(Exemption.KTHREAD, SchedEventReader.exemption(Wire.EVF_EXEMPT | Wire.EVF_EXEMPT_KTHREAD | Wire.EVF_WAKEUP));
    assertEquals(Exemption.NONE, SchedEventReader.exemption(Wire.EVF_EXEMPT_KTHREAD), "no exempt bit");
  }

  @Test
  void theFlagValuesAreIntfHs() throws IOException {
    Path intf = Path.of("").toAbsolutePath();
    while (intf != null && !Files.exists(intf.resolve("bpf/intf.h"))) intf = intf.getParent();
    assumeTrue(intf != null, "bpf/intf.h not found");
    String h = Files.readString(intf.resolve("bpf/intf.h"));
    Map<String, Integer> java = Map.of("JL_EVF_WAKEUP", Wire.EVF_WAKEUP, "JL_EVF_DEAD", Wire.EVF_DEAD,
        "JL_EVF_EXEMPT", Wire.EVF_EXEMPT, "JL_EVF_EXEMPT_KIND_MASK", Wire.EVF_EXEMPT_KIND_MASK,
        "JL_EVF_EXEMPT_DISPATCHER", Wire.EVF_EXEMPT_DISPATCHER, "JL_EVF_EXEMPT_PERCPU", Wire.EVF_EXEMPT_PERCPU,
        "JL_EVF_EXEMPT_RECLAIM", Wire.EVF_EXEMPT_RECLAIM, "JL_EVF_EXEMPT_KTHREAD", Wire.EVF_EXEMPT_KTHREAD);
    java.forEach((name, v) -> assertTrue(h.matches("(?s).*#define " + name + " +" + v + "u\\b.*"),
        name + " in intf.h differs from Wire's " + v));
  }
}
