/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wire between the javaland BPF scheduler and its Java half.
 *
 * Every layout here is mirrored by a Java MemoryLayout in
 * javaland.runtime.kernel.bpf.Wire; WireLayoutTest reads this object's BTF and fails
 * when the two drift. Change both, or neither.
 */
#ifndef JAVALAND_INTF_H
#define JAVALAND_INTF_H

#define JL_COMM_LEN 16
#define JL_CPU_ANY (-1)
#define JL_RT_BUCKETS 320     /* round-trip histogram: 8 linear sub-buckets per power of two */
#define JL_EXIT_REASON_LEN 128
#define JL_EXIT_MSG_LEN 1024

/* Kernel -> Java (ring buffer): one record per task that waits for a decision. 80 bytes. */
struct jl_queued_task {
	__s32 pid;
	__s32 tgid;
	__s32 prev_cpu;
	__u32 nr_cpus_allowed;
	__u64 enq_flags;
	__u64 seq;        /* per-task enqueue counter; a decision must echo it or it is cancelled */
	__u64 enq_ns;     /* CLOCK_MONOTONIC when the task was queued to Java */
	__u64 exec_ns;    /* CPU time used since the task last woke up */
	__u64 vtime;      /* the task's virtual time, as the policy last set it plus charged runtime */
	__u32 weight;     /* 1..10000, 100 = nice 0 */
	__u32 flags;      /* JL_TASK_* */
	char comm[JL_COMM_LEN];
};

#define JL_TASK_WAKEUP 1u  /* queued because it woke up (not because its slice ran out) */

/*
 * Java -> kernel (user ring buffer): what to do with one queued task, and with its next wakeups.
 * 56 bytes.
 *
 * wake_slice_ns and wake_deadline_ns are the policy's rule for the task's wakeups from now on,
 * until its next decision replaces them: a wakeup that finds no idle CPU is placed by BPF itself
 * (no round trip) with this slice and a deadline wake_deadline_ns after the wakeup, and may
 * preempt (params.wakeup_preempt), as long as params.wake_rules is on and the task's last burst
 * (CPU time from a wakeup to its sleep) was at most params.wake_burst_ns. The same rule covers the
 * task's returns that are not slice expiries: a yield (back one wake slice after its deadline) and
 * a preemption before its slice ran out (back at its deadline, with what was left of its slice).
 * wake_slice_ns 0: no rule, all of these are queued to Java as before.
 */
struct jl_decision {
	__s32 pid;
	__s32 cpu;        /* a CPU, or JL_CPU_ANY for the shared queue */
	__u64 seq;        /* copied from jl_queued_task.seq */
	__u64 slice_ns;   /* 0 = params.slice_ns */
	__u64 deadline;   /* order within the target queue: lower runs first */
	__u64 vtime;      /* the task's new virtual time */
	__u64 wake_slice_ns;     /* slice of the wakeups BPF places by this rule; 0 = no rule (ask Java) */
	__s64 wake_deadline_ns;  /* their deadline, relative to the wakeup; within [-rescue_ns, +1 s] */
};

/* Counters in .bss, read live by Java through a shared mapping. All monotonic. */
struct jl_counters {
	__u64 queued;             /* records sent to Java */
	__u64 user_dispatches;    /* decisions from Java inserted into a queue */
	__u64 kernel_dispatches;  /* dispatched by BPF alone (all reasons below) */
	__u64 idle_dispatches;    /* of which: wakeups that found an idle CPU in select_cpu */
	__u64 exempt_dispatches;  /* of which: the scheduler's own threads, per-CPU kthreads, kswapd... */
	__u64 fallbacks;          /* of which: waited longer than params.rescue_ns for Java */
	__u64 ring_full;          /* of which: the ring or the pending list was full */
	__u64 congested;          /* of which: the ring backlog exceeded params.congestion_bytes */
	__u64 cancelled;          /* stale decisions dropped (task re-queued, dequeued, rescued or gone) */
	__u64 bounced;            /* decisions for a CPU the task may not use, sent to the shared queue */
	__u64 heartbeats;         /* timer ticks that found a task waiting too long and kicked CPUs */
	__u64 preempted;          /* woken tasks that preempted a running task with a later deadline */
	__u64 class_dispatches;   /* of kernel_dispatches: latency-critical wakeups BPF placed itself */
	__u64 rule_dispatches;    /* of kernel_dispatches: wakeups BPF placed by the rule Java's last decision set */
	__u64 rule_lapsed;        /* wakeups with a rule that went to Java: the last burst exceeded params.wake_burst_ns */
	__u64 rule_yields;        /* of kernel_dispatches: tasks with a rule that yielded, put back by BPF one slice later */
	__u64 rule_requeues;      /* of kernel_dispatches: tasks with a rule preempted before their slice ran out, put back
				     by BPF at their deadline with what was left of it */
	__u64 slice_clamped;      /* decisions whose slice was outside [slice_floor_ns, slice_cap_ns], set to the bound */
	__u64 deadline_clamped;   /* decisions whose deadline was outside what clamp_deadline allows, set to the bound */
	__u64 rt_count;           /* round trips recorded in rt_hist */
	__u64 rt_sum_ns;
	__u64 rt_max_ns;
	__u64 rt_hist[JL_RT_BUCKETS];
};

/*
 * Java -> kernel (hash map "task_classes", keyed by pid): what the rules made of a task. Written
 * and deleted by Java's classifier thread; BPF deletes a task's entry when it exits. 32 bytes.
 */
#define JL_CLASS_NONE 0
#define JL_CLASS_LATENCY_CRITICAL 1
#define JL_CLASS_INTERACTIVE 2
#define JL_CLASS_BATCH 3
#define JL_CLASS_BACKGROUND 4
#define JL_CLASS_MAX_TASKS 32768

struct jl_task_class {
	__u64 start_ticks;  /* /proc/PID/stat starttime (1/100 s since boot): a reused pid does not match */
	__u64 slice_min_ns; /* bounds on the slices BPF gives the task itself; 0 = none */
	__u64 slice_max_ns;
	__u32 cls;          /* JL_CLASS_* */
	__u32 pad;
};

/* Scheduling delay in .bss: runnable -> running, by class. Monotonic, read live by Java. */
#define JL_SD_WAKEUP 0        /* became runnable (woke up, or new) */
#define JL_SD_REQUEUE 1       /* still runnable after its slice ran out or it was preempted */
struct jl_sched_delay {
	__u64 count[2];
	__u64 sum_ns[2];
	__u64 hist[2][JL_RT_BUCKETS];   /* buckets as the round trip's (rt_bucket) */
};

/*
 * Parameters in .data, written by Java before load and changed by it at any time. The knobs are
 * declared in javaland.runtime.kernel.KernelKnob (name, range, default, which field here);
 * dispatcher_tid and java_sleeping are the dispatch loop's own.
 */
struct jl_params {
	__u64 slice_ns;           /* slice for tasks BPF dispatches itself, and for decisions with 0 */
	__u64 rescue_ns;          /* longest a task waits for Java before BPF dispatches it */
	__u32 idle_fastpath;      /* 1: a wakeup that finds an idle CPU is dispatched in select_cpu */
	__u32 congestion_bytes;   /* ring backlog above which tasks bypass Java (0 = never) */
	__s32 dispatcher_tid;     /* the Java dispatch thread: preempts on wakeup */
	__u32 java_sleeping;      /* 1 while the dispatch thread waits for records (set by Java) */
	__u32 wakeup_preempt;     /* 1: a woken task preempts a running task whose deadline is later */
	__u32 wake_rules;         /* 1: BPF places wakeups by the rule of the task's last decision */
	__u64 wake_burst_ns;      /* a task whose last burst was longer gets its wakeup decided by Java (0 = no bound) */
	__u64 slice_floor_ns;     /* bounds on a decision's slice (KernelKnob.DECISION_SLICE_MIN_NS, _MAX_NS), */
	__u64 slice_cap_ns;       /* written by Java with the knobs */
};

/* Why the scheduler was unloaded (sched_ext's exit info), kept for Java to report. */
struct jl_exit_info {
	__s64 kind;               /* enum scx_exit_kind; 0 while attached */
	__s64 exit_code;
	char reason[JL_EXIT_REASON_LEN];
	char msg[JL_EXIT_MSG_LEN];
};

/* ---- BEGIN scheduling-event trace (optional; ./javaland run --record, docs/trace-format.md) ---- */
/*
 * Kernel -> Java (second ring buffer, "sched_events"): one record per scheduling event of a
 * task, written only when Java set trace_enabled before load. 48 bytes.
 */
#define JL_EV_ENABLE   1  /* the task joined the scheduler (at attach, or forked); comm valid */
#define JL_EV_RUNNABLE 2  /* it became runnable; arg = the pid running on cpu (the waker); comm valid */
#define JL_EV_RUNNING  3  /* it starts running on cpu; arg = the slice it starts with, in us (capped at 2^31-1) */
#define JL_EV_STOPPING 4  /* it stops running on cpu; arg bit 0 = still runnable (preempted, slice over),
			     bits 1-31 = what is left of its slice, in us (capped at 2^30-1) */

#define JL_EVF_WAKEUP  1u /* RUNNABLE: it woke up (SCX_ENQ_WAKEUP); clear: new, or put back */
#define JL_EVF_DEAD    2u /* STOPPING: its last switch-out (TASK_DEAD) */
#define JL_EVF_EXEMPT  4u /* ENABLE, RUNNABLE: BPF dispatches it itself, never Java (own threads, per-CPU kthreads, reclaim) */
/* With JL_EVF_EXEMPT, which branch of dispatch_exempt() takes it (a 2-bit field; 0: a JVM thread) */
#define JL_EVF_EXEMPT_KIND_MASK  24u
#define JL_EVF_EXEMPT_DISPATCHER  8u /* the dispatch thread: at once, preempting */
#define JL_EVF_EXEMPT_PERCPU     16u /* a per-CPU kthread: its CPU's local queue */
#define JL_EVF_EXEMPT_RECLAIM    24u /* kswapd, khugepaged: the priority queue */

struct jl_sched_event {
	__u64 ts_ns;      /* bpf_ktime_get_ns: CLOCK_MONOTONIC */
	__s32 pid;
	__s32 tgid;
	__s32 cpu;        /* the CPU the callback ran on */
	__s32 arg;        /* see JL_EV_* */
	__u32 weight;     /* p->scx.weight: 1..10000, 100 = nice 0 */
	__u16 kind;       /* JL_EV_* */
	__u16 flags;      /* JL_EVF_* */
	char comm[JL_COMM_LEN]; /* ENABLE and RUNNABLE only; zeros otherwise */
};

/* In .bss: events written and events dropped because the ring was full. Monotonic. */
struct jl_trace_counters {
	__u64 events;
	__u64 lost;
};
/* ---- END scheduling-event trace ---- */

#endif /* JAVALAND_INTF_H */
