/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rescue of tasks Java leaves undecided (included by javaland.bpf.c, after its globals,
 * maps and helpers): the walk of the pending queue that jl_dispatch runs (the heartbeat kicks
 * the CPUs into it when an entry waited too long).
 */
#ifndef JAVALAND_RESCUE_H
#define JAVALAND_RESCUE_H

/* 1 while a CPU walks the pending queue (see rescue_pending) */
u32 rescue_busy;

/* Pops the walker's entry (only the walker pops, so popped needs no atomic add) */
static __always_inline void pop_pending(struct pending *pe)
{
	if (!bpf_map_pop_elem(&pending, pe))
		pending_popped++;
}

/*
 * Walk the pending list from its oldest entry: drop entries whose task Java has decided (or
 * that left the scheduler), and dispatch in BPF the ones that waited longer than rescue_ns.
 * This covers tasks still sitting in the ring, not only those Java took and dropped.
 *
 * One CPU at a time: peek and pop are two steps, and with two CPUs walking, one popped the entry
 * the other had peeked and the other then popped the next one, a task still waiting for Java,
 * unseen. That task was lost to the rescue (the exit dump: TS_IN_JAVA for 7.5 s, pending empty).
 * A CPU that finds the walk taken skips it: the walker serves both.
 */
static void rescue_pending(u64 now)
{
	struct pending pe;
	struct task_struct *p;
	struct task_ctx *tctx;
	int i;

	if (pending_pushed == pending_popped)
		return;
	if (__sync_val_compare_and_swap(&rescue_busy, 0, 1) != 0)
		return;
	/* bpf_for, not for: the verifier checks an open-coded iterator's body once, not 64 times */
	bpf_for(i, 0, 64) {
		if (bpf_map_peek_elem(&pending, &pe))
			break;
		p = bpf_task_from_pid(pe.pid);
		if (!p) {
			pop_pending(&pe);
			continue;
		}
		tctx = ctx_of(p);
		if (!tctx || tctx->seq != pe.seq || tctx->state != TS_IN_JAVA) {
			bpf_task_release(p);
			pop_pending(&pe);
			continue;
		}
		if (now - pe.enq_ns < params.rescue_ns || scx_bpf_dispatch_nr_slots() == 0) {
			bpf_task_release(p);
			break;
		}
		pop_pending(&pe);
		/* claim it: Java's decision may be applied on another CPU at the same moment */
		if (__sync_val_compare_and_swap(&tctx->state, TS_IN_JAVA, TS_RESCUED) != TS_IN_JAVA) {
			bpf_task_release(p);
			continue;
		}
		tctx->deadline = pe.enq_ns;
		/* due when it was enqueued: it has waited long enough */
		scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, params.slice_ns, pe.enq_ns, 0);
		count(&counters.fallbacks);
		count(&counters.kernel_dispatches);
		/* this CPU takes one; an idle one may take the next */
		kick_idle_cpu(p);
		bpf_task_release(p);
	}
	__sync_lock_test_and_set(&rescue_busy, 0);
}

#endif /* JAVALAND_RESCUE_H */
