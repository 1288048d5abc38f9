package javaland.sdk;

import java.util.List;

/**
 * A scheduling policy: given the tasks waiting for a decision, say where each runs, for how
 * long, and in which order. The same class runs on the real kernel and on the simulated one.
 *
 * <p>The runtime finds policies with {@link java.util.ServiceLoader}: a policy is a public class
 * with a public no-argument constructor, listed in {@code META-INF/services/javaland.sdk.Policy}
 * of its jar (docs/write-your-own-scheduler.md). Each scheduler gets its own instance.
 *
 * <p>{@link #schedule} runs on the dispatch thread, between the kernel queueing a task and the
 * task running: it must not block and should allocate nothing.
 */
public interface Policy {
  /**
   * The name on the command line, in the API and the registry. By default the class's simple
   * name without a "Policy" suffix, in lower case with '-' between words: {@code DeadlinePolicy}
   * is "deadline", {@code LowLatencyPolicy} "low-latency".
   */
  default String name() {
    String simple = getClass().getSimpleName();
    if (simple.endsWith("Policy") && simple.length() > "Policy".length()) simple = simple.substring(0, simple.length() - 6);
    return simple.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** One sentence for the command list and the API. */
  default String description() {
    return "";
  }

  /** Decides for the waiting tasks, each with {@link WaitingTasks#decide}. */
  void schedule(WaitingTasks tasks, KernelView kernel);

  /** The parameters this policy reads: by default its {@link Param} fields, in declaration order. */
  default List<Param> parameters() {
    return Param.fieldsOf(this);
  }

  /** Called on the dispatch thread, between batches, after the runtime changed parameter values. */
  default void configured() {}
}
