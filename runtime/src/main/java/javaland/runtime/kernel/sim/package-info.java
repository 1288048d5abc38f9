/**
 * A deterministic discrete-event simulation of javaland's kernel half, for running the same
 * policies without sched_ext: for tests, replaying experiments and a live demo.
 *
 * <h2>Using it</h2>
 *
 * <pre>{@code
 * Workload w = Workload.builder("mix", 42)            // or Workloads.named("mix", 42, 8, SEC)
 *     .hogsFor("batch", 8, 2 * SEC, 100)
 *     .interactive(8, 300 * US, 5 * MS, 2 * SEC)
 *     .build();
 * SimKernel k = new SimKernel(w, SimConfig.of(4));   // or SimConfig.of(SimConfig.topology(2, 4, 2))
 * SimMetrics m = k.runToCompletion(PolicyCatalog.builtIn().create("deadline"));
 * System.out.print(m.format());
 * }</pre>
 *
 * <h2>The model</h2>
 *
 * <p>{@link javaland.runtime.kernel.sim.SimKernel} (the Kernel contract; the kernel half itself is the
 * package-private SimMachine, with IdleCpus for CPU selection and QueuedLog for the ring and the
 * pending queue) keeps a virtual clock in ns and a priority queue
 * of primitive events (task wakeups, the end of a task's run or slice on a CPU, a batch of
 * decisions arriving, the 20 ms BPF heartbeat, the watchdog). Time moves only inside
 * {@code poll()}: the dispatch thread is busy for {@code decideNsPerTask} per task of its last
 * batch, then reads the ring if records wait; otherwise it sleeps and events are processed until
 * the kernel wakes it (plus {@code wakeLatencyNs}), its timeout passes, or the run ends. The
 * decisions of a batch are applied {@code roundTripNs + n * decideNsPerTask} after the poll that
 * returned it. Everything else follows bpf/javaland.bpf.c:
 *
 * <ul>
 *   <li>wakeup: {@code runnable} resets exec_ns; {@code select_cpu} picks the previous CPU if idle,
 *       else an idle SMT sibling, an idle CPU of the same LLC, any idle CPU; with the idle fast
 *       path the task goes straight to that CPU (idle and kernel dispatches), else to enqueue.
 *   <li>enqueue: seq++, a record in the ring (visible to the next poll) and the pending queue;
 *       the policy is woken only if it sleeps and the shared queue holds fewer tasks than there are
 *       CPUs, as in BPF; a full ring or pending queue (ring full) or a backlog over
 *       congestion_bytes (congested) sends the task to the shared queue, due now.
 *   <li>decisions: a stale seq (or an already decided or rescued task) is cancelled; a valid CPU
 *       gets the task in its queue, anything else but ANY_CPU is bounced; both queues are ordered
 *       by deadline, lowest first, ties FIFO, the deadline clamped to [enqueued - rescue_ns,
 *       enqueued + 1 s]; an idle CPU is kicked.
 *   <li>a CPU looking for work takes its local queue (fast-path dispatches), then, as
 *       {@code jl_dispatch}: rescues what waited longer than rescue_ns (64 entries a walk) into the
 *       shared queue, due at their enqueue time (kicking an idle CPU for each beyond the first),
 *       then takes the earlier head deadline of its own queue and the shared queue, and wakes the
 *       policy if the shared queue is
 *       short and records wait. A task whose slice ran out is re-enqueued to the policy
 *       (wokeUp=false) unless the CPU found nothing else, in which case it keeps running with a
 *       fresh 20 ms slice and no callbacks, as the kernel does.
 *   <li>stopping charges vtime += ran * 100 / weight and exec_ns += ran. Wakeup preemption is
 *       modelled only on the kernel's own path for latency-critical tasks: a task the classifier
 *       marked latency-critical ({@code SimClassTable}, the simulated task_classes) that wakes up
 *       is placed by the machine, due one slice ago: an idle CPU, else (kernel.wakeup_preempt) it
 *       preempts at once the CPU running batch or background (its own first) or the latest later
 *       deadline, else the shared queue. Preemption of Java's decisions (try_preempt) is not
 *       modelled.
 *   <li>heartbeat every 20 ms: wake the policy if records wait; if the oldest pending task is past
 *       rescue_ns, count a heartbeat and kick every idle CPU.
 *   <li>watchdog: a runnable task not run for {@code watchdogNs} (5 s) ends the run with
 *       ERROR_STALL (1026), "runnable task stall", naming the task; all tasks exited ends it with
 *       SCX_EXIT_DONE (1), "workload finished"; {@code horizonNs} with DONE, "time limit reached";
 *       live tasks all waiting for posts with ERROR, "workload deadlocked"; close() with UNREG.
 * </ul>
 *
 * <p>Tasks run {@link javaland.runtime.kernel.sim.Program}s: run, sleep, wait for posts, post to
 * group members, periodic activations, jumps and loops, response-time marks, exit. Each task has
 * its own random generator seeded from the workload's seed, so its draws do not depend on how it
 * is scheduled, and the same seed, policy and configuration give the same
 * {@link javaland.runtime.kernel.sim.SimMetrics}, bit for bit (single thread, ties broken by
 * insertion order). Parameter updates sent through DispatchLoop arrive at wall-clock moments and
 * so break this determinism.
 *
 * <h2>What it leaves out</h2>
 *
 * <ul>
 *   <li>The policy's cost is a constant per batch and per task, not its measured speed; the
 *       dispatch thread uses no simulated CPU. Exempt tasks ({@code TaskSpec.exempt}, an
 *       {@link javaland.runtime.kernel.Exemption}: a replayed trace's JVM threads and kthreads) go
 *       where dispatch_exempt sends their kind: the dispatch thread takes its CPU at once
 *       (the running task goes back to the policy, as after SCX_ENQ_PREEMPT); a kthread that
 *       wakes up or is new goes to the head of its CPU's local queue, and no wakeup preempts
 *       that CPU before it runs (bpf/kthreads.h); put back, a per-CPU kthread joins the tail of
 *       that queue, a reclaim kthread the priority queue every CPU looks at first, any other
 *       kthread the shared queue due one slice from now, as do the JVM's other threads; an idle
 *       CPU select_cpu found takes any of them, as jl_select_cpu does.
 *   <li>Decisions land a fixed time after their batch; in the kernel they land when some CPU next
 *       runs dispatch(). The dispatch-slot limit (dispatch_max_batch) is ignored.
 *   <li>select_cpu does not prefer wholly idle SMT cores and does not reserve the CPU it found when
 *       the fast path is off; kicked idle CPUs are the nearest idle CPU by number, woken
 *       instantly (no IPI or idle-exit latency).
 *   <li>No other scheduling classes, no affinity (every task may use every CPU), no dequeue
 *       (queued tasks never change), no ticks beyond {@code SimConfig.tickNs} (with 0, the default,
 *       slices end to the ns; else at the first tick boundary after they run out), no SMT contention, cache,
 *       migration or frequency effects; a context switch costs a fixed {@code switchCostNs}
 *       (default 0).
 *   <li>A fork goes through select_cpu and enqueue without the wakeup flag, from CPU
 *       (index mod nr_cpus). The ring's capacity is counted in 88-byte records, not bytes. The
 *       watchdog looks every 100 ms (the kernel every timeout/2).
 *   <li>Request latency is measured from the post that woke a worker; a worker keeps the times of
 *       16 unconsumed posts, later ones count from when they are picked up.
 *   <li>Fairness is Jain's index of CPU time over lifetime among tasks of the same class and
 *       weight, which says little for tasks whose demand differs by design.
 * </ul>
 *
 * <p>The event loop keeps its state in primitive arrays and pooled structures: a run allocates a
 * fixed amount up front and while its queues and histograms grow, nothing per event. On one core
 * it processes several million events per second with a policy in the loop (see
 * SimEventRateBench in the tests).
 */
package javaland.runtime.kernel.sim;
