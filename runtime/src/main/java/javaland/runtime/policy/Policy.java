package javaland.runtime.policy;

import javaland.models.Parameter;
import javaland.models.Parameters;
import java.util.List;
import javaland.runtime.kernel.Decisions;
import javaland.runtime.kernel.KernelView;
import javaland.runtime.kernel.TaskBatch;

/**
 * A scheduling policy: given the tasks waiting for a decision, say where each runs, for how
 * long, and in which order. The same class runs on the real kernel and on the simulated one.
 *
 * <p>{@link #schedule} runs on the dispatch thread, between the kernel queueing a task and the
 * task running: it must not block, and should allocate nothing per task. Every task in the
 * batch should get a decision; one that does not is dispatched by the kernel after its rescue
 * delay.
 */
public interface Policy {
  void schedule(TaskBatch tasks, Decisions out, KernelView kernel);

  /** The parameters this policy understands, with ranges and defaults. */
  default List<Parameter> parameters() {
    return List.of();
  }

  /** New values, already checked against {@link #parameters()}; called between batches. */
  default void configure(Parameters values) {}
}
