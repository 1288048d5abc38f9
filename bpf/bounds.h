/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bounds BPF holds a policy's decision to, whatever numbers it produces, and the counts of
 * what it corrected. Shared by the scheduler and bpf/test/wire_test.bpf.c, so the host tests
 * (DecisionBoundsTest) drive the very code that clamps. Mirrored by the simulated kernel
 * (KernelKnob.decisionSlice, SimTime.clampDeadline).
 */
#ifndef JAVALAND_BOUNDS_H
#define JAVALAND_BOUNDS_H

#include "intf.h"

#define MAX_LATENESS_NS (1000ULL * 1000 * 1000) /* latest deadline after the enqueue: << 5 s watchdog */

/*
 * A decision's slice: 0 takes p->slice_ns; anything else within [slice_floor_ns, slice_cap_ns]
 * (50 us, 100 ms), so a policy's slice of 1 ns cannot spin a CPU through dispatch and one of
 * seconds cannot starve the watchdog.
 */
static __always_inline __u64 jl_decision_slice(__u64 slice_ns, const struct jl_params *p, struct jl_counters *c)
{
	if (!slice_ns)
		return p->slice_ns;
	if (slice_ns < p->slice_floor_ns) {
		__sync_fetch_and_add(&c->slice_clamped, 1);
		return p->slice_floor_ns;
	}
	if (slice_ns > p->slice_cap_ns) {
		__sync_fetch_and_add(&c->slice_clamped, 1);
		return p->slice_cap_ns;
	}
	return slice_ns;
}

/*
 * A policy's deadline, bounded to [enqueued - rescue_ns, enqueued + MAX_LATENESS_NS]: tasks
 * the kernel dispatches itself join the same queue at about "now", and may be overtaken only
 * by tasks enqueued no later than rescue_ns after them, whatever numbers a policy produces.
 * @c (may be NULL) counts a correction.
 */
static __always_inline __u64 jl_clamp_deadline(__u64 deadline, __u64 enq_ns, __u64 rescue_ns, struct jl_counters *c)
{
	__u64 lo = enq_ns > rescue_ns ? enq_ns - rescue_ns : 0;
	__u64 hi = enq_ns + MAX_LATENESS_NS;
	__u64 d = deadline < lo ? lo : deadline > hi ? hi : deadline;

	if (c && d != deadline)
		__sync_fetch_and_add(&c->deadline_clamped, 1);
	return d;
}

#endif /* JAVALAND_BOUNDS_H */
