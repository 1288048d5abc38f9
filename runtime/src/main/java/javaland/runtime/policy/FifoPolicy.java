package javaland.runtime.policy;

import javaland.models.Parameter;
import javaland.models.Parameters;
import java.util.List;
import javaland.runtime.kernel.Decisions;
import javaland.runtime.kernel.KernelView;
import javaland.runtime.kernel.TaskBatch;

/** The baseline: first queued, first run, one fixed slice, any CPU. */
public final class FifoPolicy implements Policy {
  private static final List<Parameter> PARAMETERS = List.of(
      new Parameter("slice_us", 50, 100_000, 5_000, "us", "every task's slice"));

  private long slice;

  public FifoPolicy() {
    configure(Parameters.defaults(PARAMETERS));
  }

  @Override
  public List<Parameter> parameters() {
    return PARAMETERS;
  }

  @Override
  public void configure(Parameters p) {
    slice = p.micros("slice_us");
  }

  @Override
  public void schedule(TaskBatch tasks, Decisions out, KernelView kernel) {
    for (int i = 0; i < tasks.size(); i++) {
      out.dispatch(tasks, i, Decisions.ANY_CPU, slice, tasks.enqueuedAtNs(i), tasks.vtime(i));
    }
  }
}
