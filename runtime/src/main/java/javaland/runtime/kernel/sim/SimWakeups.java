package javaland.runtime.kernel.sim;

import static javaland.runtime.kernel.sim.SimTime.NEVER;

import javaland.runtime.kernel.KernelKnob;
import javaland.sdk.TaskClass;

/**
 * The wakeups the kernel half places by rules Java set, as bpf/wakeup.h does: the rules'
 * latency-critical class and the per-task rule of the policy's last decision; the tasks put back
 * by their rule; where a placed wakeup goes. Kept apart from {@link SimMachine} as the C keeps
 * wakeup.h apart from javaland.bpf.c, so each reads beside its counterpart.
 */
final class SimWakeups {
  private final SimMachine k;

  SimWakeups(SimMachine k) {
    this.k = k;
  }

  /** Batch and background: classes that outrank no one and that any other wakee may preempt. */
  static boolean lowly(int cls) {
    return cls == TaskClass.BATCH.id() || cls == TaskClass.BACKGROUND.id();
  }

  /**
   * dispatch_by_rule: a woken task with a rule from Java is placed by the kernel itself: the
   * latency-critical class (due one slice ago), else the wakeup rule of its last decision while
   * its last burst is within kernel.wake_burst_us (else rule_lapsed, and it goes to the policy).
   */
  boolean dispatchByRule(int t) {
    if (k.classes.taskClass(t) == TaskClass.LATENCY_CRITICAL.id()) {
      long lead = Math.min(k.params.get(KernelKnob.SLICE), k.params.get(KernelKnob.RESCUE));
      dispatchWakeup(t, k.classes.slice(t, k.params.get(KernelKnob.SLICE)), k.now > lead ? k.now - lead : 0);
      k.counters.classDispatches++;
      return true;
    }
    if (k.tasks.wakeSliceNs[t] == 0 || !k.params.on(KernelKnob.WAKE_RULES)) return false;
    long burst = k.params.get(KernelKnob.WAKE_BURST);
    // a rule computed for another class lapses too (wakeup.h)
    if ((burst != 0 && k.tasks.burstNs[t] > burst) || k.tasks.ruleCls[t] != k.classes.taskClass(t)) {
      k.counters.ruleLapsed++;
      return false;
    }
    dispatchWakeup(t, k.classes.slice(t, k.tasks.wakeSliceNs[t]), SimTime.wakeDeadline(k.tasks.wakeDeadlineNs[t], k.now,
        k.params.get(KernelKnob.RESCUE)));
    k.counters.ruleDispatches++;
    return true;
  }

  /**
   * dispatch_over_housekeeping: a woken task without a rule and without an idle CPU takes a CPU
   * that runs only the scheduler's housekeeping (its own CPU first), preempting it, as an idle
   * dispatch.
   */
  boolean dispatchOverHousekeeping(int t) {
    if (lowly(k.classes.taskClass(t))) return false; // batch and background wait their turn
    int prev = k.tasks.cpu[t];
    int cpu = -1;
    for (int c = 0; c < k.nrCpus; c++) {
      if (!preemptible(c) || k.runDeadline[c] != SimMachine.HOUSEKEEPING_DEADLINE) continue;
      cpu = c;
      if (c == prev) break;
    }
    if (cpu < 0) return false;
    k.tasks.slice[t] = k.classes.slice(t, k.params.get(KernelKnob.SLICE));
    k.queuedDeadline[t] = 0;
    k.localDsq[cpu].addFirst(t); // SCX_DSQ_LOCAL_ON, SCX_ENQ_HEAD | SCX_ENQ_PREEMPT
    k.counters.idleDispatches++;
    k.counters.kernelDispatches++;
    k.preempt(cpu);
    return true;
  }

  /**
   * requeue_by_rule: a task with a rule, preempted before its slice ran out, goes back to the
   * shared queue with what was left of its slice, due when that would end if it ran now. (Yields,
   * the rule's other case, and yield_queue's choice of queue for them, do not occur: programs do
   * not yield.)
   */
  boolean requeueByRule(int t) {
    if (k.tasks.wakeSliceNs[t] == 0 || !k.params.on(KernelKnob.WAKE_RULES) || k.tasks.sliceLeft[t] <= 0) return false;
    long deadline = SimTime.satAdd(k.now, k.tasks.sliceLeft[t]);
    k.tasks.slice[t] = k.tasks.sliceLeft[t];
    k.tasks.sliceLeft[t] = 0;
    k.queuedDeadline[t] = deadline;
    k.shared.push(deadline, t);
    k.counters.ruleRequeues++;
    k.counters.kernelDispatches++;
    k.kickIdleCpu(k.tasks.cpu[t]);
    return true;
  }

  /**
   * dispatch_wakeup: an idle CPU, else (wakeup_preempt) the CPU preemptVictim finds, preempted at
   * once (both straight to that CPU's local queue), else the shared queue, by {@code deadline}.
   */
  private void dispatchWakeup(int t, long slice, long deadline) {
    k.tasks.slice[t] = slice < 0 ? NEVER : slice; // a u64 that large is as good as infinite
    k.queuedDeadline[t] = deadline;
    k.counters.kernelDispatches++;
    int c = k.idle.next(k.tasks.cpu[t]);
    if (c >= 0) {
      k.localDsq[c].add(t); // SCX_DSQ_LOCAL_ON: taken without jl_dispatch
      k.cpuDispatch(c, -1);
      return;
    }
    c = k.params.on(KernelKnob.WAKEUP_PREEMPT) ? preemptVictim(t, deadline) : -1;
    if (c >= 0) {
      k.localDsq[c].addFirst(t); // SCX_DSQ_LOCAL_ON, SCX_ENQ_HEAD | SCX_ENQ_PREEMPT
      k.counters.preempted++;
      k.preempt(c);
      return;
    }
    k.shared.push(deadline, t);
    k.kickIdleCpu(k.tasks.cpu[t]);
  }

  /**
   * preempt_victim: unless {@code t} is batch or background itself, a CPU running batch or
   * background (its own first); else its own CPU if that one runs a later deadline; else the
   * latest later deadline.
   */
  private int preemptVictim(int t, long deadline) {
    int prev = k.tasks.cpu[t];
    int best = -1;
    boolean bestLowly = false;
    boolean prevVictim = false;
    boolean wakeeLowly = lowly(k.classes.taskClass(t));
    long latest = deadline;
    for (int c = 0; c < k.nrCpus; c++) {
      if (!preemptible(c)) continue;
      if (lowly(k.runClass[c]) && !wakeeLowly && (!bestLowly || c == prev)) {
        best = c;
        bestLowly = true;
        continue;
      }
      long d = k.runDeadline[c];
      if (d == 0 || (wakeeLowly && d == SimMachine.HOUSEKEEPING_DEADLINE)) continue;
      if (c == prev && Long.compareUnsigned(d, deadline) > 0) prevVictim = true;
      if (!bestLowly && (Long.compareUnsigned(d, latest) > 0 || (best >= 0 && d == latest && c == prev))) {
        best = c;
        latest = d;
      }
    }
    return !bestLowly && prevVictim ? prev : best; // its own CPU when that one may be preempted
  }

  /** CPU {@code c} runs a task that does not end now anyway: one a wakeup could preempt. */
  private boolean preemptible(int c) {
    return k.curr[c] >= 0 && k.tasks.remaining[k.curr[c]] - Math.max(0, k.now - k.segStart[c]) > 0;
  }
}
