/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The optional scheduling-event trace (./javaland run --record): a second ring buffer of
 * struct jl_sched_event, written from the struct_ops callbacks. Shared by the scheduler and
 * bpf/test/wire_test.bpf.c, so the host tests drive the very code that records.
 *
 * Off unless Java sets trace_enabled before load. It lives in .rodata, which the verifier sees
 * frozen: with 0 every sched_event() call is dead code, removed before the program runs.
 */
#ifndef JAVALAND_SCHED_EVENTS_H
#define JAVALAND_SCHED_EVENTS_H

#include "intf.h"

const volatile u32 trace_enabled;
struct jl_trace_counters trace_counters;
/* Puts the record's layout into the object's BTF for WireLayoutTest (rings carry no type). */
struct jl_sched_event *wire_anchor_sched_event;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);   /* Java resizes it before load when recording (8 MiB) */
} sched_events SEC(".maps");

/* A slice in us for an event's arg, at most @cap (SCX_SLICE_INF and the like saturate). */
static __always_inline s32 slice_us(u64 slice_ns, u32 cap)
{
	u64 us = slice_ns / 1000;
	return us > cap ? (s32)cap : (s32)us;
}

/* One event; @comm (a kernel address, may be NULL) is copied only when given. */
static __always_inline void sched_event(u16 kind, u16 flags, s32 pid, s32 tgid, s32 arg, u32 weight,
					 const char *comm)
{
	struct jl_sched_event *e;

	if (!trace_enabled)
		return;
	e = bpf_ringbuf_reserve(&sched_events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&trace_counters.lost, 1);
		return;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->pid = pid;
	e->tgid = tgid;
	e->cpu = bpf_get_smp_processor_id();
	e->arg = arg;
	e->weight = weight;
	e->kind = kind;
	e->flags = flags;
	__builtin_memset(e->comm, 0, sizeof(e->comm));
	if (comm)
		bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), comm);
	/* No wakeup: the reader drains on a timer, so recording costs no IPI or irq_work per event. */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	__sync_fetch_and_add(&trace_counters.events, 1);
}

#endif /* JAVALAND_SCHED_EVENTS_H */
