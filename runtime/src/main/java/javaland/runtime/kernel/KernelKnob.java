package javaland.runtime.kernel;

import java.util.Arrays;
import java.util.List;
import javaland.sdk.Parameter;

/**
 * The knobs of the kernel half, each declared once: its parameter (name, unit, range, default,
 * meaning), the field of {@code struct jl_params} (bpf/intf.h) it becomes, and how its value is
 * written there. The BPF program has no initial values of its own: {@code BpfKernel} writes
 * every knob before the program loads, and {@code KernelKnobTest} checks each field against the
 * compiled object. The simulated kernel reads the same values through {@link KernelParams#get}.
 *
 * <p>Adding a knob: one constant here, the field in {@code struct jl_params} (and its mirror in
 * {@code Wire.PARAMS}), its use in the BPF program and in {@code javaland.runtime.kernel.sim}.
 */
public enum KernelKnob {
  SLICE(Parameter.micros("kernel.slice_us", 50, 1_000_000, 5_000, "slice of tasks the kernel dispatches itself"),
      "slice_ns"),
  RESCUE(Parameter.millis("kernel.rescue_ms", 1, 4_000, 100,
      "longest a task waits for a decision before the kernel dispatches it"), "rescue_ns"),
  IDLE_FASTPATH(Parameter.flag("kernel.idle_fastpath", true, "1: wakeups that find an idle CPU are dispatched in the kernel")
      .withExplore(0, 1), "idle_fastpath"),
  CONGESTION(Parameter.number("kernel.congestion_kb", "KiB", 0, 1024, 0, "ring backlog above which tasks bypass Java (0: never)"),
      "congestion_bytes", 1024),
  WAKEUP_PREEMPT(Parameter.flag("kernel.wakeup_preempt", true, "1: a woken task preempts a running task with a later deadline"),
      "wakeup_preempt"),
  WAKE_RULES(Parameter.flag("kernel.wake_rules", true,
      "1: the kernel places a wakeup by the rule the policy's last decision for the task pushed down (Decision.wakeup)"),
      "wake_rules"),
  WAKE_BURST(Parameter.micros("kernel.wake_burst_us", 0, 1_000_000, 2_000,
      "a task that ran longer than this between its last wakeup and sleep has its next wakeup decided by the policy (0: no bound)"),
      "wake_burst_ns"),
  /*
   * A forced unload, for the faults scenario and for trying a restart by hand: the kernel's
   * error exit (SCX_EXIT_ERROR_BPF) at the next dispatch, which a restart after it undoes (the
   * change was a canary: the restart reverts it before attaching again).
   */
  DEBUG_ERROR(Parameter.flag("kernel.debug_error", false,
      "1: the kernel half ends the scheduler with an error exit at its next dispatch (a forced unload, to try the restart)"),
      "debug_error");

  /**
   * The bounds the kernel holds a decision's slice to, in ns (and the rules' slice bounds, which
   * policies apply): from {@link #SLICE}'s shortest, since 1 ns spins a CPU through dispatch, to
   * 100 ms, a fiftieth of the sched_ext watchdog's 5 s ({@code timeout_ms} in bpf/javaland.bpf.c).
   * On the real kernel (2 vCPUs, stress-ng) a policy giving every task 1 s, {@link #SLICE}'s
   * longest, starved the watchdog's own kworker: "runnable task stall" after 5 s. Written into
   * {@code jl_params.slice_floor_ns}/{@code slice_cap_ns}; the shipped policies' slice parameters
   * end at the cap.
   */
  public static final long DECISION_SLICE_MIN_NS = SLICE.toWire(SLICE.parameter().min());
  public static final long DECISION_SLICE_MAX_NS = 100_000_000L;

  /** A decision's slice as the kernel applies it: 0 takes {@code kernelSliceNs}, else within the bounds above (unsigned, as in BPF). */
  public static long decisionSlice(long sliceNs, long kernelSliceNs) {
    if (sliceNs == 0) return kernelSliceNs;
    if (Long.compareUnsigned(sliceNs, DECISION_SLICE_MIN_NS) < 0) return DECISION_SLICE_MIN_NS;
    if (Long.compareUnsigned(sliceNs, DECISION_SLICE_MAX_NS) > 0) return DECISION_SLICE_MAX_NS;
    return sliceNs;
  }

  /** Every knob's parameter, in declaration order: the kernel half's part of every schema. */
  public static final List<Parameter> PARAMETERS = Arrays.stream(values()).map(KernelKnob::parameter).toList();

  private final Parameter parameter;
  private final String wireField;
  private final long scale;

  KernelKnob(Parameter parameter, String wireField) {
    this(parameter, wireField, parameter.kind().nsPerUnit());
  }

  KernelKnob(Parameter parameter, String wireField, long scale) {
    this.parameter = parameter;
    this.wireField = wireField;
    this.scale = scale;
  }

  public Parameter parameter() {
    return parameter;
  }

  /** The field of {@code struct jl_params} that holds it. */
  public String wireField() {
    return wireField;
  }

  /** {@code value} (in the parameter's unit) as the BPF program reads it: ns, bytes, or 0/1. */
  public long toWire(double value) {
    return parameter.kind() == Parameter.Kind.FLAG ? (value >= 0.5 ? 1 : 0) : Math.round(value * scale);
  }
}
