package javaland.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.ArrayList;
import java.util.List;
import javaland.telemetry.os.Libc;

/**
 * What a JVM must do before it schedules the machine it runs on: a page fault while a task
 * waits on us may need a task only we can run, and a long GC pause stalls every task we hold.
 */
public final class JvmHygiene {
  /** The largest heap for which Serial's pauses count as short. */
  static final long MAX_SERIAL_HEAP_MB = 512;

  private JvmHygiene() {}

  /** Locks all current and future memory; returns warnings (empty when all is well). */
  public static List<String> prepare() {
    List<String> warnings = new ArrayList<>();
    RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
    List<String> args = rt.getInputArguments();
    if (!args.contains("-XX:+AlwaysPreTouch")) {
      warnings.add("heap not pre-touched: start the JVM with -XX:+AlwaysPreTouch and -Xms equal to -Xmx");
    }
    // Pauses stay short when the heap is small and the dispatch loop allocates nothing: Serial's
    // young collections copy only what the control plane keeps alive. ZGC pauses less still, but
    // its threads and barriers cost CPU all the time (bench: 3.3 s against Serial's 2.1 s of the
    // scheduler's CPU in a 15 s sysbench run, throughput 0.86 against 0.93 of EEVDF).
    long maxHeapMb = Runtime.getRuntime().maxMemory() >> 20;
    boolean shortPauses = false;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      String n = gc.getName();
      if (n.startsWith("ZGC") || n.startsWith("Shenandoah")) shortPauses = true;
      if (n.equals("Copy") && maxHeapMb <= MAX_SERIAL_HEAP_MB) shortPauses = true;
    }
    if (!shortPauses) {
      warnings.add("collections may pause the scheduler for long: start the JVM with -XX:+UseSerialGC and -Xmx256m"
          + " (at most " + MAX_SERIAL_HEAP_MB + "m), or -XX:+UseZGC");
    }
    int rc = Libc.mlockall();
    if (rc != 0) {
      warnings.add("mlockall failed (" + Libc.strerror(-rc) + "): memory is not locked, page faults may stall scheduling");
    }
    return warnings;
  }
}
