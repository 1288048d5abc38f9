/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wakeups BPF places itself by rules Java set (included by javaland.bpf.c, after its globals and
 * helpers): the rules' latency-critical class, and the per-task rule the policy's last decision
 * pushed down (jl_decision.wake_*, kept in task_ctx). Java still decides everything else: slice
 * expiries, new tasks, wakeups of tasks without a rule or whose burst outgrew params.wake_burst_ns,
 * but for a wakeup that finds a CPU running only the scheduler's own housekeeping, which BPF treats
 * as idle (dispatch_over_housekeeping).
 */
#ifndef JAVALAND_WAKEUP_H
#define JAVALAND_WAKEUP_H

/* Batch and background: classes that outrank no one and that any other wakee may preempt. */
static __always_inline bool lowly(u32 cls)
{
	return cls == JL_CLASS_BATCH || cls == JL_CLASS_BACKGROUND;
}

/*
 * The CPU a task woken with @deadline and placed by a rule should take, or -1: unless the task is
 * itself batch or background (@wakee_lowly), one running a batch or background task (its previous
 * CPU first), else its previous CPU if that one runs a later deadline, else the one running the
 * latest deadline if that is later than @deadline (the scheduler's housekeeping threads: always,
 * unless the wakee is itself batch or background). Never one running a task outside the deadline
 * queues (running_deadline 0: the dispatch thread, kthreads, or placed on an idle CPU).
 */
static s32 preempt_victim(struct task_struct *p, u64 deadline, bool wakee_lowly)
{
	s32 prev = scx_bpf_task_cpu(p), best = -1;
	u64 latest = deadline;
	bool best_lowly = false, prev_victim = false;
	u32 i;

	bpf_for(i, 0, MAX_CPUS) {
		u64 d;

		if (i >= nr_cpus)
			break;
		if (!bpf_cpumask_test_cpu(i, p->cpus_ptr))
			continue;
		/*
		 * running_class is NONE for the exempt, so a lowly one may be preempted from anywhere;
		 * a batch or background wakee outranks no one by class, only by deadline
		 */
		if (lowly(running_class[i]) && !wakee_lowly && (!best_lowly || (s32)i == prev)) {
			best = i;
			best_lowly = true;
			continue;
		}
		d = running_deadline[i];
		/* a batch or background wakee does not take the CPU from housekeeping either */
		if (!d || (wakee_lowly && d == HOUSEKEEPING_DEADLINE))
			continue;
		if ((s32)i == prev && d > deadline)
			prev_victim = true;
		if (!best_lowly && (d > latest || (best >= 0 && d == latest && (s32)i == prev))) {
			best = i;
			latest = d;
		}
	}
	/*
	 * Its own CPU whenever that one may be preempted, rather than the latest deadline elsewhere:
	 * a timer's wakeup (cyclictest's) runs on that CPU, which then reschedules on its way out of
	 * the interrupt, where another CPU needs an IPI first (tens of us under TCG); and its caches.
	 */
	if (!best_lowly && prev_victim)
		return prev;
	return best;
}

/*
 * A wakeup BPF places itself, by a rule Java set: the rules' latency-critical class, or the rule of
 * the task's last decision. An idle CPU if there is one; else, with wakeup_preempt, the CPU
 * preempt_victim() finds; else the shared queue, by @deadline. @path counts it. On a CPU it goes
 * straight to that CPU's local queue (SCX_DSQ_LOCAL_ON), at its head when it preempts: the CPU
 * runs it without calling jl_dispatch first, which would drain Java's decisions and look for
 * rescues before the woken task runs (the latency the rule is there to save).
 */
static __always_inline void dispatch_wakeup(struct task_struct *p, struct task_ctx *tctx, u64 slice, u64 deadline, u64 enq_flags,
			    u64 *path)
{
	s32 cpu;

	tctx->deadline = deadline;
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0 && cpu < MAX_CPUS) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | (u64)cpu, slice, enq_flags);
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
	} else if (params.wakeup_preempt &&
		   (cpu = preempt_victim(p, deadline, lowly(tctx->cls))) >= 0) {
		/* SCX_ENQ_PREEMPT on a local queue: the running task's slice ends now and the CPU is kicked */
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | (u64)cpu, slice, enq_flags | SCX_ENQ_HEAD | SCX_ENQ_PREEMPT);
		count(&counters.preempted);
	} else {
		scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice, deadline, enq_flags);
		kick_idle_cpu(p);
	}
	count(path);
	count(&counters.kernel_dispatches);
}

/* now + a rule's deadline offset, bounded as jl_clamp_deadline (bounds.h) bounds Java's: [-rescue_ns, +1 s]. */
static __always_inline u64 wake_deadline(s64 offset, u64 now)
{
	u64 lead;

	if (offset >= 0)
		return now + ((u64)offset < MAX_LATENESS_NS ? (u64)offset : MAX_LATENESS_NS);
	lead = (u64)(-offset);
	if (lead > params.rescue_ns)
		lead = params.rescue_ns;
	return now > lead ? now - lead : 0;
}

/*
 * A woken task with a rule from Java: true when BPF placed it. The latency-critical class (due one
 * slice before now, at most rescue_ns); else the rule of its last decision, while the task's last
 * burst stays within params.wake_burst_ns (a task that ran longer goes to Java, which sees what it
 * became and sets its next rule: rule_lapsed).
 */
static bool dispatch_by_rule(struct task_struct *p, struct task_ctx *tctx, struct jl_task_class *cls, u64 slice,
			     u64 enq_flags)
{
	u64 now = bpf_ktime_get_ns();

	if (cls && cls->cls == JL_CLASS_LATENCY_CRITICAL) {
		u64 lead = params.slice_ns < params.rescue_ns ? params.slice_ns : params.rescue_ns;

		dispatch_wakeup(p, tctx, slice, now > lead ? now - lead : 0, enq_flags, &counters.class_dispatches);
		return true;
	}
	if (!tctx->wake_slice_ns || !params.wake_rules)
		return false;
	/*
	 * A rule computed for another class (the rules classified the task after Java decided it, or
	 * reclassified it) lapses too: its deadline offset carries the old class's shift, and a task
	 * whose wakeups all stay short would otherwise keep it for good (the rules scenario's batch
	 * probe, decided once before its class arrived, waited 382 us at p50 against 21.9 ms).
	 */
	if ((params.wake_burst_ns && tctx->burst_ns > params.wake_burst_ns) || tctx->rule_cls != tctx->cls) {
		count(&counters.rule_lapsed);
		return false;
	}
	dispatch_wakeup(p, tctx, class_slice(cls, tctx->wake_slice_ns), wake_deadline(tctx->wake_deadline_ns, now),
			enq_flags, &counters.rule_dispatches);
	return true;
}

/*
 * A woken task without a rule that found no idle CPU, when a CPU it may use runs only the
 * scheduler's own housekeeping (a JIT compile, a GC, the control plane): true when BPF put it
 * there, at the head with SCX_ENQ_PREEMPT, as the idle fast path would have had that thread not
 * been running. Counted as an idle dispatch: the work waited for nothing but our overhead.
 * Without it such a wakeup went to Java and back, the cyclictest threads in bench's idle latency
 * run among them (placed by the idle fast path, they never got a rule): javaland's p99 there was
 * 2-3x EEVDF's.
 */
static bool dispatch_over_housekeeping(struct task_struct *p, u32 cls, u64 slice, u64 enq_flags)
{
	s32 prev = scx_bpf_task_cpu(p), cpu = -1;
	u32 i;

	if (lowly(cls))
		return false; /* batch and background wait for Java and their turn */

	bpf_for(i, 0, MAX_CPUS) {
		if (i >= nr_cpus)
			break;
		if (running_deadline[i] != HOUSEKEEPING_DEADLINE || !bpf_cpumask_test_cpu(i, p->cpus_ptr))
			continue;
		cpu = i;
		if ((s32)i == prev)
			break;
	}
	if (cpu < 0)
		return false;
	note_deadline(p, 0);
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | (u64)cpu, slice, enq_flags | SCX_ENQ_HEAD | SCX_ENQ_PREEMPT);
	count(&counters.idle_dispatches);
	count(&counters.kernel_dispatches);
	return true;
}

/*
 * The queue a task that yielded goes back to: its own CPU's, unless a CPU is idle (then the shared
 * queue, and that CPU is kicked: true in *kicked) or another CPU it may run on has fewer tasks
 * waiting in its queue (the shortest). A yield through the shared queue moved the yielder to
 * whichever CPU came next, a migration per yield: sysbench threads (4 threads, 2 CPUs) spent
 * 8.4 us of BPF per jl_dispatch, most of it moving tasks between CPUs, for yields that cost EEVDF
 * 6 us in all. The shortest queue keeps the yielders spread over the CPUs, as a load balancer would.
 */
static u64 yield_queue(struct task_struct *p, bool *kicked)
{
	s32 own = scx_bpf_task_cpu(p), idle, best;
	u64 best_nr;
	u32 i;

	*kicked = false;
	idle = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (idle >= 0) {
		scx_bpf_kick_cpu(idle, SCX_KICK_IDLE);
		*kicked = true;
		return SHARED_DSQ;
	}
	if (own < 0 || own >= MAX_CPUS || own >= nr_cpus || !bpf_cpumask_test_cpu(own, p->cpus_ptr))
		return SHARED_DSQ;
	best = own;
	best_nr = scx_bpf_dsq_nr_queued((u64)own);
	bpf_for(i, 0, MAX_CPUS) {
		u64 nr;

		if (i >= nr_cpus || !best_nr)
			break;
		if ((s32)i == own || !bpf_cpumask_test_cpu(i, p->cpus_ptr))
			continue;
		nr = scx_bpf_dsq_nr_queued((u64)i);
		if (nr < best_nr) {
			best = i;
			best_nr = nr;
		}
	}
	return (u64)best;
}

/*
 * A task with a rule from Java back in enqueue without waking up, not because its slice ran out:
 * true when BPF put it back itself. After a yield, one wake slice after the deadline it had (not
 * before now), as EEVDF moves a yielding task's deadline; after a preemption before its slice ran
 * out, with what was left of its slice and due when that would end if it ran now (EEVDF's
 * deadline: eligible now, plus the slice it still has). Not its old deadline: one that had passed
 * made the task look urgent, so the wakeups after the one that preempted it could not preempt it
 * again for its whole slice (simulated: the interactive tasks' p99 delay 12.7 ms against FIFO's
 * 9.7 ms). A slice that ran out is Java's to decide, as is everything for a task without a rule.
 * A yielder goes to the queue yield_queue() picks; the rest to the shared queue.
 */
static bool requeue_by_rule(struct task_struct *p, struct task_ctx *tctx, struct jl_task_class *cls, u64 enq_flags)
{
	bool yielded = tctx->yielded, kicked = false;
	u64 now, slice, deadline, *path, dsq = SHARED_DSQ;

	tctx->yielded = 0;
	if (!tctx->wake_slice_ns || !params.wake_rules)
		return false;
	now = bpf_ktime_get_ns();
	if (yielded) {
		slice = class_slice(cls, tctx->wake_slice_ns);
		deadline = (tctx->deadline > now ? tctx->deadline : now) + slice;
		path = &counters.rule_yields;
		dsq = yield_queue(p, &kicked);
	} else if (tctx->slice_left) {
		slice = tctx->slice_left;
		deadline = now + slice;
		path = &counters.rule_requeues;
	} else {
		return false;
	}
	tctx->slice_left = 0;
	tctx->deadline = deadline;
	scx_bpf_dsq_insert_vtime(p, dsq, slice, deadline, enq_flags);
	if (dsq == SHARED_DSQ && !kicked)
		kick_idle_cpu(p);
	count(path);
	count(&counters.kernel_dispatches);
	return true;
}

#endif /* JAVALAND_WAKEUP_H */
