/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Java's decisions, drained from the user ring buffer at the top of jl_dispatch (included by
 * javaland.bpf.c after its helpers): each is claimed against the task it was made for (its seq),
 * held to bounds.h, and inserted, or preempts the CPU it names when the task woke up.
 */
#ifndef JAVALAND_DECISIONS_H
#define JAVALAND_DECISIONS_H

/*
 * Wakeup preemption, as EEVDF does it: a task that woke up and whose deadline is earlier than
 * that of the task running on its CPU (the one Java chose, else the one it last ran on) takes
 * that CPU now instead of waiting for the running task's slice to end.
 */
static bool try_preempt(struct task_struct *p, struct jl_decision *d, u64 slice)
{
	s32 cpu = d->cpu >= 0 ? d->cpu : scx_bpf_task_cpu(p);
	u64 running;

	if (cpu < 0 || cpu >= nr_cpus || cpu >= MAX_CPUS || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		return false;
	running = running_deadline[cpu];
	if (!running || d->deadline >= running)
		return false;
	scx_bpf_dsq_insert_vtime(p, (u64)cpu, slice, d->deadline, 0);
	scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
	count(&counters.preempted);
	return true;
}

static long apply_decision(struct bpf_dynptr *dynptr, void *unused)
{
	struct jl_decision d;
	struct task_struct *p;
	struct task_ctx *tctx;
	u64 slice;

	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0)) {
		count(&counters.cancelled);
		return 0;
	}
	p = bpf_task_from_pid(d.pid);
	if (!p) {
		count(&counters.cancelled);
		return 0;
	}
	tctx = ctx_of(p);
	/* claim the task: a rescue on another CPU may be taking it at the same moment */
	if (!tctx || tctx->seq != d.seq ||
	    __sync_val_compare_and_swap(&tctx->state, TS_IN_JAVA, TS_NONE) != TS_IN_JAVA) {
		count(&counters.cancelled);
		bpf_task_release(p);
		return 0;
	}
	tctx->vtime = d.vtime;
	/* the rule's slice is held to a decision's bounds too (0: no rule) */
	tctx->wake_slice_ns = d.wake_slice_ns ? jl_decision_slice(d.wake_slice_ns, &params, &counters) : 0;
	tctx->wake_deadline_ns = d.wake_deadline_ns;
	tctx->rule_cls = tctx->cls; /* the class of the enqueue Java decided */
	record_roundtrip(bpf_ktime_get_ns() - tctx->enq_ns);

	slice = jl_decision_slice(d.slice_ns, &params, &counters);
	d.deadline = jl_clamp_deadline(d.deadline, tctx->enq_ns, params.rescue_ns, &counters);
	tctx->deadline = d.deadline;
	if (tctx->woke && params.wakeup_preempt && try_preempt(p, &d, slice)) {
		count(&counters.user_dispatches);
		bpf_task_release(p);
		return scx_bpf_dispatch_nr_slots() > 0 ? 0 : 1;
	}
	if (d.cpu >= 0 && d.cpu < nr_cpus && d.cpu < MAX_CPUS &&
	    bpf_cpumask_test_cpu(d.cpu, p->cpus_ptr)) {
		scx_bpf_dsq_insert_vtime(p, (u64)d.cpu, slice, d.deadline, 0);
		scx_bpf_kick_cpu(d.cpu, SCX_KICK_IDLE);
	} else {
		if (d.cpu != JL_CPU_ANY)
			count(&counters.bounced);
		scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice, d.deadline, 0);
		kick_idle_cpu(p);
	}
	count(&counters.user_dispatches);
	bpf_task_release(p);
	/* Stop once this dispatch round has no slot left; the rest waits for the next round. */
	return scx_bpf_dispatch_nr_slots() > 0 ? 0 : 1;
}

#endif /* JAVALAND_DECISIONS_H */
