/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The heartbeat timer (included by javaland.bpf.c before jl_init, which starts it): every
 * HEARTBEAT_NS it wakes a sleeping Java that has records to read and kicks idle CPUs when work
 * waits that nothing else will wake them for.
 */
#ifndef JAVALAND_HEARTBEAT_H
#define JAVALAND_HEARTBEAT_H

struct heartbeat {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct heartbeat);
} heartbeat SEC(".maps");

static int heartbeat_fn(void *map, int *key, struct heartbeat *hb)
{
	struct pending pe;
	bool late;
	u32 i;

	if (bpf_ringbuf_query(&queued, BPF_RB_AVAIL_DATA) && java_sleeping())
		wake_java();
	/*
	 * An idle machine is not a stall; a task waiting past rescue_ns is. Wake a CPU to rescue it.
	 * Likewise tasks in the shared or priority queue: a CPU that went idle as one was queued
	 * missed its kick, and nothing else woke it. In the VM a CPU idled 5.1 s beside 31 tasks in
	 * the shared queue ("stress-ng-sleep[887] failed to run for 5.108s") once woken kthreads no
	 * longer went through the shared queue, whose inserts had kicked idle CPUs all the time.
	 * SCX_KICK_IDLE leaves a busy CPU alone.
	 */
	late = !bpf_map_peek_elem(&pending, &pe) && bpf_ktime_get_ns() - pe.enq_ns >= params.rescue_ns;
	if (late || scx_bpf_dsq_nr_queued(SHARED_DSQ) || scx_bpf_dsq_nr_queued(PRIO_DSQ)) {
		if (late)
			count(&counters.heartbeats);
		bpf_for(i, 0, MAX_CPUS) {
			if (i >= nr_cpus)
				break;
			scx_bpf_kick_cpu(i, SCX_KICK_IDLE);
		}
	}
	bpf_timer_start(&hb->timer, HEARTBEAT_NS, 0);
	return 0;
}

#endif /* JAVALAND_HEARTBEAT_H */
