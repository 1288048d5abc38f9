/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When the dispatch thread is woken (included by javaland.bpf.c after its globals and maps):
 * it sleeps on the queued ring; BPF wakes it only when waiting for the next batch would cost more
 * than the wakeup.
 */
#ifndef JAVALAND_JAVA_WAKE_H
#define JAVALAND_JAVA_WAKE_H

/* Java announces it is about to sleep; the full barrier pairs with Java's fence. */
static __always_inline bool java_sleeping(void)
{
	return __sync_fetch_and_or(&params.java_sleeping, 0) != 0;
}

/* Wake the dispatch thread without sending it anything: an empty record, discarded. */
static void wake_java(void)
{
	void *r = bpf_ringbuf_reserve(&queued, 8, 0);
	if (r)
		bpf_ringbuf_discard(r, BPF_RB_FORCE_WAKEUP);
}

/* Enough decided work is queued to keep every CPU busy: Java may decide later, in a batch. */
static __always_inline bool cpus_have_work(void)
{
	return scx_bpf_dsq_nr_queued(SHARED_DSQ) >= nr_cpus;
}

/*
 * A record for Java wakes it when it sleeps and the CPUs run short of decided work; a task that
 * woke up (one without a rule, or whose rule lapsed) also while they have work, at most once every
 * WAKE_JAVA_GAP_NS for all CPUs: left for the next batch, such a wakeup waited for the queued
 * tasks' slices (bench, the wakeups' wait to be read by Java: p99 15-21 ms, up to 100 ms), and the
 * gap bounds what waking costs when many wake at once (at most 4000 a second). The simulated
 * kernel has the same gap.
 */
#define WAKE_JAVA_GAP_NS 250000ULL
u64 java_woken_for_wakeup_ns;

static __always_inline bool wake_java_for(u64 enq_flags, u64 now)
{
	u64 last;

	if (!java_sleeping())
		return false;
	if (!cpus_have_work())
		return true;
	if (!(enq_flags & SCX_ENQ_WAKEUP))
		return false;
	last = java_woken_for_wakeup_ns;
	if (now - last < WAKE_JAVA_GAP_NS)
		return false;
	return __sync_val_compare_and_swap(&java_woken_for_wakeup_ns, last, now) == last;
}

#endif /* JAVALAND_JAVA_WAKE_H */
