package javaland.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import javaland.models.json.JsonCodec;
import javaland.runtime.kernel.ExitInfo;
import javaland.runtime.kernel.KernelStats;
import javaland.runtime.kernel.LatencyBuckets;
import javaland.runtime.kernel.ProgramCost;
import javaland.runtime.loop.DispatchLoop;

/** The JSON and one-line forms of what a run did, shared by /status, the CLI and the VM harness. */
public final class Reports {
  private Reports() {}

  public static ObjectNode dispatchJson(KernelStats s, double seconds) {
    return dispatchJson(s, seconds, new long[0][]);
  }

  /**
   * As {@link #dispatchJson(KernelStats, double)} plus {@code sched_delay_us}: p50 and p99 of the
   * kernel's scheduling-delay histograms ({@link javaland.runtime.kernel.Kernel#schedDelayHistograms()}),
   * by class, and p50/p90/p99 of all classes together ({@code all}); left out when the kernel keeps none.
   */
  public static ObjectNode dispatchJson(KernelStats s, double seconds, long[][] schedDelay) {
    ObjectNode j = dispatchCounters(s, seconds);
    if (schedDelay.length > 0) {
      ObjectNode d = JsonCodec.object();
      for (int c = 0; c < schedDelay.length && c < DispatchLoop.TASK_CLASSES.size(); c++) {
        long n = 0;
        for (long v : schedDelay[c]) n += v;
        d.putObject(DispatchLoop.TASK_CLASSES.get(c))
            .put("count", n)
            .put("p50", micros(LatencyBuckets.quantile(schedDelay[c], 0.50)))
            .put("p99", micros(LatencyBuckets.quantile(schedDelay[c], 0.99)));
      }
      // All classes together, with p90: what a replay of a recorded trace is compared with.
      long[] all = new long[schedDelay[0].length];
      long total = 0;
      for (long[] h : schedDelay) {
        for (int i = 0; i < h.length && i < all.length; i++) {
          all[i] += h[i];
          total += h[i];
        }
      }
      d.putObject("all")
          .put("count", total)
          .put("p50", micros(LatencyBuckets.quantile(all, 0.50)))
          .put("p90", micros(LatencyBuckets.quantile(all, 0.90)))
          .put("p99", micros(LatencyBuckets.quantile(all, 0.99)));
      j.set("sched_delay_us", d);
    }
    return j;
  }

  private static ObjectNode dispatchCounters(KernelStats s, double seconds) {
    ObjectNode j = JsonCodec.object()
        .put("queued", s.queued())
        .put("user_dispatches", s.userDispatches())
        .put("kernel_dispatches", s.kernelDispatches())
        .put("idle_dispatches", s.idleDispatches())
        .put("exempt_dispatches", s.exemptDispatches())
        .put("fallbacks", s.fallbacks())
        .put("ring_full", s.ringFull())
        .put("congested", s.congested())
        .put("cancelled", s.cancelled())
        .put("bounced", s.bounced())
        .put("heartbeats", s.heartbeats())
        .put("preempted", s.preempted())
        .put("class_dispatches", s.classDispatches())
        .put("rule_dispatches", s.ruleDispatches())
        .put("rule_lapsed", s.ruleLapsed())
        .put("rule_yields", s.ruleYields())
        .put("rule_requeues", s.ruleRequeues())
        .put("slice_clamped", s.sliceClamped())
        .put("deadline_clamped", s.deadlineClamped())
        .put("dispatches_per_s", seconds > 0 ? Math.round(s.dispatches() / seconds) : 0);
    j.putObject("roundtrip_us")
        .put("count", s.roundTrips())
        .put("p50", micros(s.roundTripP50Ns()))
        .put("p99", micros(s.roundTripP99Ns()))
        .put("max", micros(s.roundTripMaxNs()));
    return j;
  }

  /**
   * Per program of the kernel half: runs, total ns and ns per run, plus "total_ns"; null when no
   * program has run with BPF run-time statistics on (kernel.bpf_stats_enabled), which is the default.
   */
  static ObjectNode programsJson(List<ProgramCost> programs) {
    long total = 0;
    ObjectNode j = JsonCodec.object();
    for (ProgramCost p : programs) {
      if (p.runs() == 0) continue;
      total += p.runNs();
      j.putObject(p.name()).put("runs", p.runs()).put("ns", p.runNs()).put("ns_per_run", p.nsPerRun());
    }
    if (total == 0) return null;
    j.put("total_ns", total);
    return j;
  }

  /** The final report of a run: the dispatch counters plus how and why it ended. */
  public static ObjectNode outcomeJson(String policy, String kernel, RunOutcome o) {
    double secs = o.ran().toNanos() / 1e9;
    ObjectNode j = JsonCodec.object()
        .put("policy", policy)
        .put("kernel", kernel)
        .put("duration_s", Math.round(secs * 10) / 10.0)
        .put("end", o.reason())
        .put("attached", o.attached());
    j.setAll(dispatchJson(o.stats(), secs, o.schedDelay()));
    j.put("batches", o.batches())
        .put("tasks", o.tasks())
        .put("largest_batch", o.largestBatch())
        .put("decide_ns_per_task", o.tasks() == 0 ? 0 : o.busyNs() / o.tasks())
        .put("dispatcher_cpu_s", Math.round(o.dispatcherCpuNs() / 1e7) / 100.0)
        .put("process_cpu_s", Math.round(o.processCpuNs() / 1e7) / 100.0)
        .set("gc", gcJson());
    j.set("roundtrip_stages_us", stagesJson(o.stages()));
    ExitInfo e = o.exit();
    j.put("exit_kind", e == null ? 0 : e.kind())
        .put("exit_kind_name", e == null ? "none" : e.kindName())
        .put("exit_reason", e == null ? "" : e.reason())
        .put("exit_msg", e == null ? "" : e.message())
        .put("sched_ext_exit_code", e == null ? 0 : e.exitCode())
        .put("exit_code", o.exitCode());
    if (o.failure() != null) j.put("failure", String.valueOf(o.failure()));
    ObjectNode programs = programsJson(o.programs());
    if (programs != null) j.set("bpf_programs", programs);
    j.set("policy_faults", faultsJson(o.policyFaults()));
    return j;
  }

  /**
   * Where the round trips of the tasks Java decided went (RoundTripStages): to the record read and
   * to the decision written, p50 and p99 in us (the rest of roundtrip_us is the wait for a CPU to
   * apply it), the wait to the read of the tasks that woke up alone, and the loop's wake-ups that
   * found nothing to read.
   */
  public static ObjectNode stagesJson(javaland.runtime.loop.RoundTripStages.Snapshot s) {
    return JsonCodec.object()
        .put("read_p50", micros(s.readQuantileNs(0.50)))
        .put("read_p99", micros(s.readQuantileNs(0.99)))
        .put("read_wakeups_p50", micros(s.readWakeupsQuantileNs(0.50)))
        .put("read_wakeups_p99", micros(s.readWakeupsQuantileNs(0.99)))
        .put("decided_p50", micros(s.decidedQuantileNs(0.50)))
        .put("decided_p99", micros(s.decidedQuantileNs(0.99)))
        .put("empty_wakeups", s.emptyWakeups());
  }

  /** {"threw": N, "overran": N, "undecided": N}: what the loop contained of the policy. */
  public static ObjectNode faultsJson(javaland.runtime.loop.PolicyFaults f) {
    ObjectNode j = JsonCodec.object();
    for (String kind : javaland.runtime.loop.PolicyFaults.KINDS) j.put(kind, f.get(kind));
    return j;
  }

  /**
   * This JVM's collections so far, per collector bean ({@code {"Copy": {"count": 3, "ms": 41}}}):
   * every task waits while the dispatch thread is stopped, so a run's report says how often and how
   * long it was (for a pausing collector the time is pause time, for ZGC's cycles mostly
   * concurrent work).
   */
  static ObjectNode gcJson() {
    ObjectNode gc = JsonCodec.object();
    for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      gc.putObject(b.getName()).put("count", b.getCollectionCount()).put("ms", b.getCollectionTime());
    }
    return gc;
  }

  /** One line of progress for people watching a run. */
  public static String progressLine(KernelStats s, KernelStats previous, double intervalS) {
    long d = s.dispatches() - previous.dispatches();
    long u = s.userDispatches() - previous.userDispatches();
    return String.format("javaland: %,.0f dispatches/s (%d%% through Java), round trip p50 %.0f us p99 %.0f us, fallbacks %d, cancelled %d",
        d / intervalS, d == 0 ? 0 : Math.round(100.0 * u / d), s.roundTripP50Ns() / 1e3,
        s.roundTripP99Ns() / 1e3, s.fallbacks(), s.cancelled());
  }

  private static double micros(long ns) {
    return Math.round(ns / 100.0) / 10.0;
  }
}
