package javaland.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.ArrayList;
import java.util.List;
import javaland.runtime.kernel.bpf.Libc;

/**
 * What a JVM must do before it schedules the machine it runs on: a page fault while a task
 * waits on us may need a task only we can run, and a long GC pause stalls every task we hold.
 */
public final class JvmHygiene {
  private JvmHygiene() {}

  /** Locks all current and future memory; returns warnings (empty when all is well). */
  public static List<String> prepare() {
    List<String> warnings = new ArrayList<>();
    RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
    List<String> args = rt.getInputArguments();
    if (!args.contains("-XX:+AlwaysPreTouch")) {
      warnings.add("heap not pre-touched: start the JVM with -XX:+AlwaysPreTouch and -Xms equal to -Xmx");
    }
    boolean lowPause = false;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      String n = gc.getName();
      if (n.startsWith("ZGC") || n.startsWith("Shenandoah")) lowPause = true;
    }
    if (!lowPause) warnings.add("not a low-pause collector: start the JVM with -XX:+UseZGC");
    int rc = Libc.mlockall();
    if (rc != 0) {
      warnings.add("mlockall failed (" + Libc.strerror(-rc) + "): memory is not locked, page faults may stall scheduling");
    }
    return warnings;
  }
}
