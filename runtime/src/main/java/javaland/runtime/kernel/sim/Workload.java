package javaland.runtime.kernel.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javaland.runtime.kernel.Exemption;

/**
 * A set of simulated tasks. Everything random about it (start times, each task's seed) comes
 * from {@code seed}, so the same builder calls with the same seed give the same workload, and
 * the same workload on the same policy and configuration gives the same run, bit for bit.
 */
public record Workload(String name, long seed, List<TaskSpec> tasks) {
  public static final long US = 1_000L;
  public static final long MS = 1_000_000L;
  public static final long SEC = 1_000_000_000L;

  public Workload {
    tasks = List.copyOf(tasks);
    // Groups are contiguous runs of tasks sharing a groupBase; posts must stay inside their group.
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec t = tasks.get(i);
      if (t.groupBase() > i) throw new IllegalArgumentException("task " + i + ": group starts after it");
      int end = i;
      while (end + 1 < tasks.size() && tasks.get(end + 1).groupBase() == t.groupBase()) end++;
      int highest = t.program().highestMember();
      if (highest >= 0 && t.groupBase() + highest > end) {
        throw new IllegalArgumentException("task " + i + " (" + t.comm() + ") posts to member " + highest
            + " of a group of " + (end - t.groupBase() + 1));
      }
    }
  }

  public static Builder builder(String name, long seed) {
    return new Builder(name, seed);
  }

  /** Adds tasks; the generators below each add one or more groups. */
  public static final class Builder {
    private final String name;
    private final long seed;
    private final SplittableRandom rng;
    private final List<TaskSpec> tasks = new ArrayList<>();
    private int groupBase;

    private Builder(String name, long seed) {
      this.name = name;
      this.seed = seed;
      this.rng = new SplittableRandom(seed);
    }

    /** Starts a new group: tasks added from now on address each other from here. */
    public Builder group() {
      groupBase = tasks.size();
      return this;
    }

    /** Index the next task will get (its pid is {@link SimKernel#PID_BASE} plus this). */
    public int nextIndex() {
      return tasks.size();
    }

    /** Adds one task to the current group. */
    public Builder task(String comm, String label, int weight, long startNs, Program program) {
      return task(comm, label, weight, startNs, program, Exemption.NONE);
    }

    /** Adds one task to the current group; {@code exempt}: see {@link TaskSpec#exempt()}. */
    public Builder task(String comm, String label, int weight, long startNs, Program program, Exemption exempt) {
      tasks.add(new TaskSpec(comm, label, weight, startNs, groupBase, rng.nextLong(), program, exempt));
      return this;
    }

    /** CPU hogs: each runs {@code workNs} of CPU, then exits. */
    public Builder hogs(int n, long workNs) {
      return hogs("batch", n, workNs, 100);
    }

    public Builder hogs(String label, int n, long workNs, int weight) {
      Program p = Program.builder().run(workNs).exit().build();
      for (int i = 0; i < n; i++) group().task("hog-" + i, label, weight, 0, p);
      return this;
    }

    /** CPU hogs that run until {@code durationNs} of virtual time, in 10 ms pieces of work. */
    public Builder hogsFor(String label, int n, long durationNs, int weight) {
      Program p = Program.builder().run(10 * MS).exitIfAfter(durationNs).jump(0).build();
      for (int i = 0; i < n; i++) group().task("hog-" + i, label, weight, 0, p);
      return this;
    }

    /** Interactive tasks: exponential CPU bursts, exponential sleeps, until {@code durationNs}. */
    public Builder interactive(int n, long burstMeanNs, long sleepMeanNs, long durationNs) {
      return interactive("interactive", n, burstMeanNs, sleepMeanNs, durationNs, 100);
    }

    public Builder interactive(String label, int n, long burstMeanNs, long sleepMeanNs, long durationNs, int weight) {
      Program p = Program.builder()
          .run(Dist.exponential(burstMeanNs))
          .sleep(Dist.exponential(sleepMeanNs))
          .exitIfAfter(durationNs)
          .jump(0)
          .build();
      for (int i = 0; i < n; i++) {
        group().task("ia-" + i, label, weight, sleepMeanNs > 0 ? rng.nextLong(sleepMeanNs) : 0, p);
      }
      return this;
    }

    /**
     * Periodic tasks: released every {@code periodNs} (first release at a random phase), each
     * activation runs uniformly half to all of {@code budgetNs} and should finish within the
     * period; misses are counted.
     */
    public Builder periodic(int n, long periodNs, long budgetNs, long durationNs) {
      return periodic("latency-critical", n, periodNs, budgetNs, durationNs, 100);
    }

    public Builder periodic(String label, int n, long periodNs, long budgetNs, long durationNs, int weight) {
      Program p = Program.builder()
          .run(Dist.uniform(Math.max(1, budgetNs / 2), budgetNs + 1))
          .periodEnd(periodNs, periodNs)
          .exitIfAfter(durationNs)
          .jump(0)
          .build();
      for (int i = 0; i < n; i++) group().task("rt-" + i, label, weight, rng.nextLong(periodNs), p);
      return this;
    }

    /**
     * Fork-join: per group, a parent wakes {@code children} children and waits for all of them
     * ({@code rounds} times); its round time (fork to last join) is recorded as a response time.
     */
    public Builder forkJoin(int groups, int children, long childWorkNs, long parentWorkNs, int rounds) {
      Program.Builder pb = Program.builder().mark().postAll(1, children).waitFor(children).recordSinceMark();
      if (parentWorkNs > 0) pb.run(parentWorkNs);
      Program parent = pb.loop(rounds, 0).exit().build();
      Program child = Program.builder()
          .waitFor(1)
          .run(Dist.uniform(Math.max(1, childWorkNs / 2), childWorkNs * 3 / 2 + 2))
          .post(0)
          .loop(rounds, 0)
          .exit()
          .build();
      for (int g = 0; g < groups; g++) {
        group().task("fj-parent-" + g, "forkjoin", 100, 0, parent);
        for (int c = 0; c < children; c++) task("fj-" + g + "-" + c, "forkjoin", 100, 0, child);
      }
      return this;
    }

    /**
     * A request/response server like schbench: per group, a dispatcher receives requests
     * (exponential inter-arrival times), spends 2 us on each and wakes the next of
     * {@code workers} workers in turn; a worker serves it (exponential service time) and records
     * the request's latency from the dispatcher's wakeup call to the end of the service.
     */
    public Builder server(int groups, int workers, long interarrivalMeanNs, long serviceMeanNs, long durationNs) {
      return server(null, groups, workers, interarrivalMeanNs, serviceMeanNs, durationNs);
    }

    private Builder server(String commOf, int groups, int workers, long interarrivalMeanNs, long serviceMeanNs, long durationNs) {
      Program dispatcher = Program.builder()
          .sleep(Dist.exponential(interarrivalMeanNs)) // 0
          .jumpIfAfter(durationNs, 5)                   // 1
          .run(2 * US)                                  // 2
          .postRoundRobin(1, workers)                   // 3
          .jump(0)                                      // 4
          .postAll(1, workers)                          // 5: tell every worker to finish
          .exit()
          .build();
      Program worker = Program.builder()
          .waitFor(1)
          .exitIfAfter(durationNs)
          .run(Dist.exponential(serviceMeanNs))
          .recordSincePost()
          .jump(0)
          .build();
      for (int g = 0; g < groups; g++) {
        String comm = commOf == null ? "srv-" + g : commOf;
        group().task(comm, "server", 100, 0, dispatcher);
        for (int w = 0; w < workers; w++) task(commOf == null ? "srv-" + g + "-w" + w : commOf, "server", 100, 0, worker);
      }
      return this;
    }

    /**
     * The same server, every thread of it (dispatcher and workers) named {@code comm}, as the
     * threads of a real server process are unless it renames them: a class by command name then
     * covers the whole server, as the runtime's learned classes are (by comm).
     */
    public Builder serverProcess(String comm, int workers, long interarrivalMeanNs, long serviceMeanNs, long durationNs) {
      return server(comm, 1, workers, interarrivalMeanNs, serviceMeanNs, durationNs);
    }

    public Workload build() {
      return new Workload(name, seed, tasks);
    }
  }
}
