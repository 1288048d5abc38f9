// SPDX-License-Identifier: GPL-2.0
/*
 * Exercises the wire on any kernel with BPF (no sched_ext needed): SEC("syscall") programs,
 * run from Java with bpf_prog_test_run_opts, fill the task ring and drain the decision ring
 * with the same layouts as the scheduler. Used by RingPlumbingTest.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "intf.h"
#include "sched_events.h"
#include "bounds.h"

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} queued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 64 * 1024);
} decisions SEC(".maps");

struct drain_result {
	__u64 drained;
	__u64 pid_sum;
	__u64 seq_sum;
	__u64 bad_size;
	struct jl_decision last;
};

struct drain_result result;

struct produce_args {
	__u32 count;
	__s32 first_pid;
	__u64 first_seq;
};

SEC("syscall")
int produce(struct produce_args *args)
{
	__u32 count = args->count;
	int i, made = 0;

	for (i = 0; i < 1024; i++) {
		struct jl_queued_task *t;
		if (i >= count)
			break;
		t = bpf_ringbuf_reserve(&queued, sizeof(*t), 0);
		if (!t)
			break;
		t->pid = args->first_pid + i;
		t->tgid = 4242;
		t->prev_cpu = i % 4;
		t->nr_cpus_allowed = 2;
		t->enq_flags = 1;
		t->seq = args->first_seq + i;
		t->enq_ns = 10ULL * i;
		t->exec_ns = 100ULL * i;
		t->vtime = 1000ULL * i;
		t->weight = 100 + i;
		t->flags = i & 1;
		__builtin_memcpy(t->comm, "worker-thread-x", 16);
		bpf_ringbuf_submit(t, 0);
		made++;
	}
	return made;
}

static long on_decision(struct bpf_dynptr *dynptr, void *ctx)
{
	struct jl_decision d;

	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0)) {
		result.bad_size++;
		return 0;
	}
	result.drained++;
	result.pid_sum += d.pid;
	result.seq_sum += d.seq;
	result.last = d;
	return 0;
}

SEC("syscall")
int consume(void *ctx)
{
	return bpf_user_ringbuf_drain(&decisions, on_decision, NULL, 0);
}

/* ---- The scheduler's own bounds on a decision (bounds.h), driven with the values Java writes ---- */
struct jl_params bounds_params;
struct jl_counters bounds_counters;

struct bounds_case {
	__u64 slice_ns;    /* in: the policy's slice; out: what BPF runs it with */
	__u64 deadline;    /* in: the policy's deadline; out: the clamped one */
	__u64 enq_ns;
};

SEC("syscall")
int bound_decision(struct bounds_case *c)
{
	c->slice_ns = jl_decision_slice(c->slice_ns, &bounds_params, &bounds_counters);
	c->deadline = jl_clamp_deadline(c->deadline, c->enq_ns, bounds_params.rescue_ns, &bounds_counters);
	return 0;
}

/* ---- BEGIN scheduling-event trace: the scheduler's own sched_event(), driven with known values ---- */
struct emit_args {
	__u32 count;
	__s32 first_pid;
};

static const char event_comm[16] = "stress-ng-cpu:1";

SEC("syscall")
int emit_events(struct emit_args *args)
{
	__u32 count = args->count;
	int i, made = 0;

	/* bpf_for: the verifier checks the body once instead of walking 4096 iterations */
	bpf_for(i, 0, 4096) {
		if (i >= count)
			break;
		/* kinds cycle ENABLE, RUNNABLE, RUNNING, STOPPING; comm only where the scheduler sends one */
		__u16 kind = (__u16)(i % 4) + 1;
		bool comm = kind == JL_EV_ENABLE || kind == JL_EV_RUNNABLE;
		/* flags and arg vary by round of four, so every flag and both stop kinds occur */
		sched_event(kind, (__u16)((i / 4) & 7), args->first_pid + i, 4242, (i & 4) ? 0 : i * 3, 100 + i,
			    comm ? event_comm : NULL);
		made++;
	}
	return made;
}
/* ---- END scheduling-event trace ---- */

/* The scheduler's task_classes map, smaller: TaskClassMapTest writes it from Java, reads it here. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, s32);
	__type(value, struct jl_task_class);
} task_classes SEC(".maps");

struct class_lookup {
	__s32 pid;
	__u32 pad;
	struct jl_task_class value;
};

/* Copies pid's entry into args->value and returns its class; -1 when there is none. */
SEC("syscall")
int lookup_class(struct class_lookup *args)
{
	s32 pid = args->pid;
	struct jl_task_class *c = bpf_map_lookup_elem(&task_classes, &pid);

	if (!c)
		return -1;
	args->value = *c;
	return c->cls;
}
