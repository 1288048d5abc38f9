/* SPDX-License-Identifier: GPL-2.0 */
/* The exit dump callbacks (included by javaland.bpf.c, after its globals and helpers). */
#ifndef JAVALAND_DUMP_H
#define JAVALAND_DUMP_H

/*
 * Exit dump: on an error exit (a stall, a BPF error) the kernel calls these and writes the lines
 * into the trace buffer (event sched_ext/sched_ext_dump) and the exit info. Times are relative
 * to now, in us; a task's state is enum task_state (1: waiting for Java, with a pending entry).
 */
#define dump_line(fmt, args...) ({                                  \
	static char ___fmt[] = fmt;                               \
	unsigned long long ___args[] = { args };                  \
	scx_bpf_dump_bstr(___fmt, ___args, sizeof(___args));      \
})

static __always_inline long long rel_us(u64 t, u64 now)
{
	if (!t)
		return 0;
	/* -mcpu=v3 has no signed division */
	return t >= now ? (long long)((t - now) / 1000) : -(long long)((now - t) / 1000);
}

void BPF_STRUCT_OPS(jl_dump, struct scx_dump_ctx *dctx)
{
	u64 now = bpf_ktime_get_ns(), shared = 0;
	struct pending pe = {};
	bool have_pe = !bpf_map_peek_elem(&pending, &pe);

	head_deadline(SHARED_DSQ, &shared);
	dump_line("javaland: slice_us=%llu rescue_us=%llu wakeup_preempt=%u idle_fastpath=%u wake_rules=%u wake_burst_us=%llu java_sleeping=%u dispatcher_tid=%d\n",
		params.slice_ns / 1000, params.rescue_ns / 1000, params.wakeup_preempt, params.idle_fastpath,
		params.wake_rules, params.wake_burst_ns / 1000, params.java_sleeping, params.dispatcher_tid);
	dump_line("javaland: shared nr=%d head_us=%lld prio nr=%d pending head pid=%d seq=%llu age_us=%lld ring_bytes=%llu\n",
		scx_bpf_dsq_nr_queued(SHARED_DSQ), rel_us(shared, now), scx_bpf_dsq_nr_queued(PRIO_DSQ),
		have_pe ? pe.pid : -1, pe.seq, have_pe ? rel_us(now, pe.enq_ns) : 0,
		bpf_ringbuf_query(&queued, BPF_RB_AVAIL_DATA));
	dump_line("javaland: queued=%llu user=%llu kernel=%llu exempt=%llu idle=%llu rule=%llu class=%llu fallbacks=%llu cancelled=%llu preempted=%llu heartbeats=%llu\n",
		counters.queued, counters.user_dispatches, counters.kernel_dispatches, counters.exempt_dispatches,
		counters.idle_dispatches, counters.rule_dispatches, counters.class_dispatches, counters.fallbacks,
		counters.cancelled, counters.preempted, counters.heartbeats);
}

void BPF_STRUCT_OPS(jl_dump_cpu, struct scx_dump_ctx *dctx, s32 cpu, bool idle)
{
	u64 now = bpf_ktime_get_ns(), head = 0, running = 0;

	if (cpu < 0 || cpu >= MAX_CPUS)
		return;
	head_deadline((u64)cpu, &head);
	running = running_deadline[cpu];
	dump_line("javaland: cpu %d idle=%d own-dsq nr=%d head_us=%lld running_deadline_us=%lld",
		cpu, idle, scx_bpf_dsq_nr_queued((u64)cpu), rel_us(head, now), rel_us(running, now));
}

void BPF_STRUCT_OPS(jl_dump_task, struct scx_dump_ctx *dctx, struct task_struct *p)
{
	struct task_ctx *tctx = ctx_of(p);
	u64 now = bpf_ktime_get_ns();

	if (!tctx) {
		dump_line("javaland: task %d no ctx dsq_vtime_us=%lld", p->pid, rel_us(p->scx.dsq_vtime, now));
		return;
	}
	dump_line("javaland: task %d tgid=%d state=%u seq=%llu enq_us=%lld deadline_us=%lld woke=%u runnable_us=%lld dsq_vtime_us=%lld wake_slice_us=%llu burst_us=%llu",
		p->pid, p->tgid, tctx->state, tctx->seq, rel_us(tctx->enq_ns, now), rel_us(tctx->deadline, now),
		tctx->woke, rel_us(tctx->runnable_at, now), rel_us(p->scx.dsq_vtime, now), tctx->wake_slice_ns / 1000,
		tctx->burst_ns / 1000);
}

#endif /* JAVALAND_DUMP_H */
