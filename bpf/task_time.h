/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A task's time on the CPU (included by javaland.bpf.c after its helpers): runnable, running,
 * stopping and yield keep what the other callbacks decide from: the scheduling delay from
 * runnable to running, the deadline and class each CPU runs (for wakeup preemption), the run
 * time, vtime and last burst of each task, and what was left of a slice it did not use up.
 */
#ifndef JAVALAND_TASK_TIME_H
#define JAVALAND_TASK_TIME_H

void BPF_STRUCT_OPS(jl_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = ctx_of(p);

	/* trace: the waker is whoever runs here now (the low half of pid_tgid is the thread id) */
	sched_event(JL_EV_RUNNABLE, ((enq_flags & SCX_ENQ_WAKEUP) ? JL_EVF_WAKEUP : 0) | exempt_flag(p), p->pid, p->tgid,
		    (s32)bpf_get_current_pid_tgid(), p->scx.weight, p->comm);
	if (!tctx)
		return;
	if (enq_flags & SCX_ENQ_WAKEUP)
		tctx->exec_ns = 0;
	tctx->runnable_at = bpf_ktime_get_ns();
	tctx->delay_class = JL_SD_WAKEUP;
}

void BPF_STRUCT_OPS(jl_running, struct task_struct *p)
{
	struct task_ctx *tctx = ctx_of(p);
	s32 cpu = scx_bpf_task_cpu(p);
	u64 now = bpf_ktime_get_ns();

	sched_event(JL_EV_RUNNING, 0, p->pid, p->tgid, slice_us(p->scx.slice, 0x7fffffff), p->scx.weight, NULL); /* trace */
	if (tctx) {
		tctx->start_ns = now;
		tctx->slice_given = p->scx.slice;
		tctx->slice_left = 0;
		if (tctx->runnable_at) {
			record_sched_delay(tctx->delay_class, now > tctx->runnable_at ? now - tctx->runnable_at : 0);
			tctx->runnable_at = 0;
		}
	}
	kthread_switched(cpu);
	if (cpu >= 0 && cpu < MAX_CPUS) {
		/*
		 * The deadline a woken task must beat to preempt this one. Not moved on by the time
		 * the task waited to run (EEVDF's way, and sound for a hog that waited past its
		 * deadline): tried, it made every task put back after a preemption preemptible again
		 * for the rest of its slice, and hackbench took 1.34x EEVDF's time instead of 0.41x,
		 * the loaded p99 2.1x instead of 1.1x (diagnostic boots, same parameters).
		 */
		if (p->tgid == sched_tgid && p->pid != params.dispatcher_tid)
			running_deadline[cpu] = HOUSEKEEPING_DEADLINE;
		else
			running_deadline[cpu] = tctx ? tctx->deadline : 0;
		/* the scheduler's own threads and kthreads are never preempted for their class */
		running_class[cpu] = tctx && p->tgid != sched_tgid && !(p->flags & PF_KTHREAD) ? tctx->cls : JL_CLASS_NONE;
	}
}

void BPF_STRUCT_OPS(jl_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = ctx_of(p);
	u64 now, delta, weight;

	sched_event(JL_EV_STOPPING, (p->__state & TASK_DEAD) ? JL_EVF_DEAD : 0, p->pid, p->tgid, /* trace */
		    (runnable ? 1 : 0) | (slice_us(p->scx.slice, 0x3fffffff) << 1), p->scx.weight, NULL);
	if (!tctx)
		return;
	now = bpf_ktime_get_ns();
	if (runnable) {
		tctx->runnable_at = now;
		tctx->delay_class = JL_SD_REQUEUE;
	}
	if (!tctx->start_ns)
		return;
	delta = now - tctx->start_ns;
	if (runnable)
		tctx->slice_left = tctx->slice_given > delta ? tctx->slice_given - delta : 0;
	weight = p->scx.weight ? p->scx.weight : 100;
	tctx->exec_ns += delta;
	tctx->vtime += delta * 100 / weight;
	if (!runnable)
		tctx->burst_ns = tctx->exec_ns; /* it sleeps: this was its burst since the wakeup */
}

/*
 * sched_yield(): what the kernel does without this callback (the slice ends now), and a note for
 * enqueue, which puts the task back by its rule instead of asking Java (requeue_by_rule). Keeping
 * the slice when no queue this CPU takes work from held a task was tried: under sysbench threads
 * one yield in 200 found them empty, and the four queue lengths cost 0.3 us on every yield.
 */
bool BPF_STRUCT_OPS(jl_yield, struct task_struct *from, struct task_struct *to)
{
	struct task_ctx *tctx = ctx_of(from);

	if (tctx)
		tctx->yielded = 1;
	from->scx.slice = 0;
	return false; /* yield_to() a given task: not supported, as without the callback */
}

#endif /* JAVALAND_TASK_TIME_H */
