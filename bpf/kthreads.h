/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel threads (included by javaland.bpf.c after its helpers, before wakeup.h): BPF dispatches
 * every one itself, never Java, and one that wakes up goes ahead of user work.
 *
 * Why all of them and not only the per-CPU ones: the sched_ext watchdog checks in from a delayed
 * work item on the unbound workqueue, i.e. from an unbound kworker, which was an ordinary task
 * here. Among the thousands of threads of stress-ng --sleep it waited in a CPU's local queue
 * while a stream of preempting wakeups, each put at the head of that queue, went ahead of it,
 * until the kernel ended the scheduler ("watchdog failed to check in for 5.016s"); the exit dump
 * showed kworker/u8:3 runnable for 3.0 s there, ksoftirqd/0 and kworker/0:3 for 1.0 s.
 */
#ifndef JAVALAND_KTHREADS_H
#define JAVALAND_KTHREADS_H

static bool is_reclaim_kthread(const struct task_struct *p)
{
	char comm[16];
	if (bpf_probe_read_kernel_str(comm, sizeof(comm), p->comm) < 0)
		return false;
	/* kswapd0.. and khugepaged: memory reclaim must not wait on a user-space scheduler */
	if (comm[0] == 'k' && comm[1] == 's' && comm[2] == 'w' && comm[3] == 'a' &&
	    comm[4] == 'p' && comm[5] == 'd')
		return true;
	if (comm[0] == 'k' && comm[1] == 'h' && comm[2] == 'u' && comm[3] == 'g' &&
	    comm[4] == 'e' && comm[5] == 'p' && comm[6] == 'a' && comm[7] == 'g')
		return true;
	return false;
}

static __always_inline bool is_percpu_kthread(const struct task_struct *p)
{
	return (p->flags & PF_KTHREAD) && p->nr_cpus_allowed == 1;
}

/*
 * Per CPU: a woken kthread waits at the head of its local queue. No wakeup preempts that CPU
 * (preempt_victim, dispatch_over_housekeeping) until the CPU next switches tasks, so none goes
 * ahead of the kthread. Cleared by jl_running whatever runs next, it never outlives one switch.
 */
u8 kthread_next[MAX_CPUS];

static __always_inline bool is_kthread(const struct task_struct *p)
{
	return p->flags & PF_KTHREAD;
}

/* A woken kthread waits at the head of @cpu's local queue: no wakeup may preempt that CPU. */
static __always_inline bool kthread_waits(u32 cpu)
{
	return cpu < MAX_CPUS && kthread_next[cpu];
}

/* jl_running on @cpu: whatever was at the head of its local queue is running now. */
static __always_inline void kthread_switched(s32 cpu)
{
	if (cpu >= 0 && cpu < MAX_CPUS && kthread_next[cpu])
		kthread_next[cpu] = 0;
}

/*
 * The enqueue of a kthread: true when @p is one (BPF took it). Woken, or new (it never ran: the
 * workqueue starts kworkers when work piles up, so a new one has work waiting): the head of the local queue
 * of the CPU it woke on (select_cpu's choice; an idle one was taken there already), so it runs
 * when the running task's slice ends (at most the 100 ms slice cap), with no wakeup of a user
 * task ahead of it (kthread_next). Not preempting: kworkers wake often, and what they do rarely
 * matters within a slice. Put back (its slice over, or preempted): a per-CPU kthread at the tail
 * of its CPU's local queue, kswapd and khugepaged in the priority queue, any other in the shared
 * queue one slice late, as the JVM's threads: an unbound kthread that keeps running (a kworker
 * writing back for seconds) takes turns with user work by deadline rather than starving it.
 */
static bool dispatch_kthread(struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx;
	s32 cpu;

	if (!is_kthread(p))
		return false;
	tctx = ctx_of(p);
	if ((enq_flags & SCX_ENQ_WAKEUP) || (tctx && !tctx->start_ns)) {
		cpu = scx_bpf_task_cpu(p);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, params.slice_ns, enq_flags | SCX_ENQ_HEAD);
		if (cpu >= 0 && cpu < MAX_CPUS)
			kthread_next[cpu] = 1;
	} else if (p->nr_cpus_allowed == 1) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, params.slice_ns, enq_flags);
	} else if (is_reclaim_kthread(p)) {
		scx_bpf_dsq_insert(p, PRIO_DSQ, params.slice_ns, enq_flags);
		kick_idle_cpu(p);
	} else {
		scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, params.slice_ns, bpf_ktime_get_ns() + params.slice_ns, enq_flags);
		kick_idle_cpu(p);
	}
	note_deadline(p, 0);
	count(&counters.exempt_dispatches);
	count(&counters.kernel_dispatches);
	return true;
}

#endif /* JAVALAND_KTHREADS_H */
