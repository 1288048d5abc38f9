// SPDX-License-Identifier: GPL-2.0
/*
 * javaland: a sched_ext scheduler whose decisions are made in Java.
 *
 * Tasks that need a decision go to Java through a ring buffer; Java's decisions come back
 * through a user ring buffer, drained at the top of dispatch(). BPF alone dispatches what
 * must never wait on Java (the scheduler's own threads, per-CPU kthreads, kswapd and
 * khugepaged), wakeups that find an idle CPU (switchable), wakeups Java set a rule for (the rules'
 * latency-critical class, or the wake_* values of the task's last decision), and anything Java has
 * not decided within params.rescue_ns or that the ring cannot take. See bpf/README.md.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "intf.h"
#include "sched_events.h"  /* --record: the optional event ring */
#include "bounds.h"        /* what a decision is held to: MAX_LATENESS_NS, jl_decision_slice, jl_clamp_deadline */

char _license[] SEC("license") = "GPL";

#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/*
 * Queues. Every task that is not exempt waits in a deadline-ordered queue, its own CPU's or the
 * shared one, whoever dispatched it: Java, or BPF as a fallback. Deadlines are CLOCK_MONOTONIC
 * ns and bounded (see jl_clamp_deadline in bounds.h), so nothing waits behind a stream of earlier deadlines for
 * long: there is no strict priority between sources for a flood to starve the others through.
 */
#define SHARED_DSQ   0x10000ULL  /* "any CPU" tasks, ordered by deadline */
#define PRIO_DSQ     0x10001ULL  /* the dispatch thread (when not woken) and reclaim kthreads, FIFO */
#define MAX_CPUS     1024        /* per-CPU queues use ids 0..nr_cpus-1 */
#define HEARTBEAT_NS (20ULL * 1000 * 1000)
#define PENDING_MAX  16384
#define PF_KTHREAD   0x00200000
#define CLOCK_MONOTONIC 1
#define ENOMEM 12
#define ENOENT 2
#define TASK_DEAD    0x80
#define NS_PER_TICK  10000000ULL  /* USER_HZ = 100: the unit of /proc/PID/stat's starttime */

/* kfuncs (declared here, not taken from a header: bpftool 7.1 does not emit them) */
extern s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
extern s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *is_idle) __ksym;
extern void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
extern void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) __ksym;
extern bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym;
extern u32 scx_bpf_dispatch_nr_slots(void) __ksym;
extern void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
extern s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym;
extern s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym;
extern u32 scx_bpf_nr_cpu_ids(void) __ksym;
extern s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym;
extern bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym;
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;
extern const struct cpumask *scx_bpf_get_idle_cpumask(void) __ksym;
extern void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask) __ksym;
extern bool bpf_cpumask_empty(const struct cpumask *cpumask) __ksym;
extern int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym __weak;
extern struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym __weak;
extern void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym __weak;
extern struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) __ksym __weak; /* 6.19+: the head without the lock */
extern void scx_bpf_dump_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;
extern void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym;

/* Set by Java before load. */
const volatile s32 sched_tgid;

/* Live state, mapped by Java. */
struct jl_counters counters;
/*
 * The knobs. No initial values here: Java writes every one before the program loads (each is
 * declared once, in javaland.runtime.kernel.KernelKnob) and changes them while it runs.
 */
struct jl_params params SEC(".data");
struct jl_exit_info exit_info;
struct jl_sched_delay sched_delay;
u32 nr_cpus;
u64 idle_mask[MAX_CPUS / 64];  /* bit set = CPU idle, for policies that want to place tasks */
/*
 * Deadline of the task each CPU runs; 0 = one a woken task may not preempt (the dispatch thread,
 * kthreads, a task the idle fast path placed); HOUSEKEEPING_DEADLINE for the scheduler's other
 * threads, which any woken task with a deadline preempts.
 */
u64 running_deadline[MAX_CPUS];
/*
 * The latest deadline there is. The JVM's threads besides the dispatcher (JIT, GC, Vert.x, the
 * canary) are the scheduler's own overhead: a wakeup that waited for one of them was CPU lost to
 * the scheduler. bench's idle latency p99 was 1.5-2.4 ms against EEVDF's 0.4-0.6 ms because a
 * woken cyclictest thread could preempt neither a CPU running a JIT compile nor the other one.
 */
#define HOUSEKEEPING_DEADLINE (~0ULL)
/* Class (JL_CLASS_*) of the task each CPU runs; JL_CLASS_NONE for the scheduler's own and kthreads. */
u32 running_class[MAX_CPUS];

/* The records only travel through rings, which carry no type: these anchors put their layouts
 * into the object's BTF, where WireLayoutTest compares them with the Java mirrors. */
struct jl_queued_task *wire_anchor_task;
struct jl_decision *wire_anchor_decision;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} queued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 1 << 20);
} decisions SEC(".maps");

/* Tasks handed to Java, oldest first: what the rescue walks when Java is slow or stalled. */
struct pending {
	s32 pid;
	u32 pad;
	u64 seq;
	u64 enq_ns;
};

/* The rules' verdicts, written by Java's classifier thread (never by the dispatch thread). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, JL_CLASS_MAX_TASKS);
	__type(key, s32);
	__type(value, struct jl_task_class);
} task_classes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, PENDING_MAX);
	__type(value, struct pending);
} pending SEC(".maps");
/*
 * Entries pushed to and popped from the pending queue: equal, the queue is empty and a walk has
 * nothing to do. Two plain reads instead of the walker's compare-and-swap and the queue's lock on
 * every dispatch (sysbench threads: 650k dispatches in 5 s, Java decided none of them).
 */
u64 pending_pushed, pending_popped;

enum task_state { TS_NONE = 0, TS_IN_JAVA = 1, TS_RESCUED = 2 };

struct task_ctx {
	u64 seq;
	u64 enq_ns;
	u64 exec_ns;
	u64 start_ns;
	u64 vtime;
	u64 deadline;   /* the deadline it was queued with; 0 when dispatched outside the queues */
	u32 state;
	u32 woke;       /* queued to Java because it woke up */
	u64 runnable_at;  /* when it last became runnable or was put back; 0 once running */
	u32 delay_class;  /* JL_SD_WAKEUP or JL_SD_REQUEUE, for runnable_at */
	u32 cls;          /* JL_CLASS_* as of its last enqueue (task_classes), for running_class */
	/* The policy's rule for its wakeups (jl_decision.wake_*), from its last decision. */
	u64 wake_slice_ns;
	s64 wake_deadline_ns;
	u64 burst_ns;     /* CPU time from its last wakeup to its last sleep */
	u64 slice_given;  /* the slice it started its last run with */
	u64 slice_left;   /* what was left of it when it last stopped still runnable (preempted, yielded) */
	u32 yielded;      /* it called sched_yield() since it last ran (jl_yield) */
	u32 rule_cls;     /* its class (cls) when Java computed its wakeup rule: the rule lapses when it changes */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

static __always_inline void count(u64 *c)
{
	__sync_fetch_and_add(c, 1);
}

static __always_inline struct task_ctx *ctx_of(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, 0);
}

#include "histograms.h"  /* record_roundtrip, record_sched_delay */

/* Remember the deadline @p is queued with (0: not through the deadline queues, not preemptible). */
static __always_inline void note_deadline(struct task_struct *p, u64 deadline)
{
	struct task_ctx *tctx = ctx_of(p);
	if (tctx)
		tctx->deadline = deadline;
}

/* The rules' class of @p, or NULL: none, or the entry is for an earlier task with this pid. */
static __always_inline struct jl_task_class *class_of(struct task_struct *p)
{
	s32 pid = p->pid;
	struct jl_task_class *c = bpf_map_lookup_elem(&task_classes, &pid);

	if (!c || c->start_ticks != p->start_boottime / NS_PER_TICK)
		return NULL;
	return c;
}

/* @base within the class's slice bounds, if it has any. */
static __always_inline u64 class_slice(const struct jl_task_class *c, u64 base)
{
	if (!c)
		return base;
	if (c->slice_min_ns && base < c->slice_min_ns)
		base = c->slice_min_ns;
	if (c->slice_max_ns && base > c->slice_max_ns)
		base = c->slice_max_ns;
	return base;
}

static __always_inline void kick_idle_cpu(const struct task_struct *p)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
}

#include "java_wake.h"  /* java_sleeping, wake_java, wake_java_for */


/* BPF dispatches this task itself: shared queue, due now. */
static void dispatch_fallback(struct task_struct *p, u64 enq_flags, u64 slice, u64 *reason)
{
	u64 now = bpf_ktime_get_ns();

	note_deadline(p, now);
	scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, slice, now, enq_flags);
	count(reason);
	count(&counters.kernel_dispatches);
	kick_idle_cpu(p);
}

#include "kthreads.h"  /* every kthread dispatched by BPF, a woken one ahead of user work */

/* No CPU is idle, by the kernel's own idle mask (idle_mask holds only what update_idle reported since the attach). */
static __always_inline bool no_cpu_idle(void)
{
	const struct cpumask *idle = scx_bpf_get_idle_cpumask();
	bool none = bpf_cpumask_empty(idle);

	scx_bpf_put_idle_cpumask(idle);
	return none;
}

s32 BPF_STRUCT_OPS(jl_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu = prev_cpu;

	/*
	 * The previous CPU if it is idle (warm caches; the simulated kernel's choice too), else the
	 * kernel's default walk, which cost 16 us per call under TCG in bench's idle latency run. It
	 * would have preferred a wholly idle SMT core to a previous CPU whose sibling is busy.
	 * With no CPU idle at all the walk finds nothing and returns the previous CPU, not idle:
	 * skipped then, which is every wakeup of a loaded machine.
	 */
	if (prev_cpu >= 0 && prev_cpu < nr_cpus && bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) &&
	    scx_bpf_test_and_clear_cpu_idle(prev_cpu))
		is_idle = true;
	else if (no_cpu_idle())
		return prev_cpu;
	else
		cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);

	if (!is_idle)
		return cpu;
	if (p->tgid == sched_tgid || is_kthread(p) || params.idle_fastpath)
		note_deadline(p, 0);
	if (p->tgid == sched_tgid || is_kthread(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, params.slice_ns, 0);
		count(&counters.exempt_dispatches);
		count(&counters.kernel_dispatches);
	} else if (params.idle_fastpath) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, params.slice_ns, 0);
		count(&counters.idle_dispatches);
		count(&counters.kernel_dispatches);
	}
	return cpu;
}

static bool dispatch_exempt(struct task_struct *p, u64 enq_flags)
{
	if (p->tgid == sched_tgid) {
		if (p->pid == params.dispatcher_tid) {
			/* The dispatch thread runs at once: every task we schedule waits on it. */
			if (enq_flags & SCX_ENQ_WAKEUP)
				scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | scx_bpf_task_cpu(p),
						   params.slice_ns, enq_flags | SCX_ENQ_PREEMPT);
			else
				scx_bpf_dsq_insert(p, PRIO_DSQ, params.slice_ns, enq_flags);
		} else {
			/*
			 * The JVM's other threads (JIT, GC, Vert.x) must not wait on Java either, but
			 * must not starve the machine: a JIT compiler under load is a CPU hog. They
			 * join the shared queue as if a policy had given them one slice of lateness.
			 */
			scx_bpf_dsq_insert_vtime(p, SHARED_DSQ, params.slice_ns,
						 bpf_ktime_get_ns() + params.slice_ns, enq_flags);
		}
		kick_idle_cpu(p);
	} else {
		return dispatch_kthread(p, enq_flags);
	}
	note_deadline(p, 0);
	count(&counters.exempt_dispatches);
	count(&counters.kernel_dispatches);
	return true;
}

/*
 * trace: JL_EVF_EXEMPT for the tasks dispatch_exempt() takes, so that a replay can dispatch them
 * as this file does instead of asking a policy. Evaluated only when recording.
 */
static __always_inline u16 exempt_flag(struct task_struct *p)
{
	if (!trace_enabled)
		return 0;
	/* the same order as dispatch_exempt(): the kind tells a replay where the task went */
	if (p->tgid == sched_tgid)
		return JL_EVF_EXEMPT | (p->pid == params.dispatcher_tid ? JL_EVF_EXEMPT_DISPATCHER : 0);
	if (is_percpu_kthread(p))
		return JL_EVF_EXEMPT | JL_EVF_EXEMPT_PERCPU;
	if ((p->flags & PF_KTHREAD) && is_reclaim_kthread(p))
		return JL_EVF_EXEMPT | JL_EVF_EXEMPT_RECLAIM;
	if (is_kthread(p))
		return JL_EVF_EXEMPT | JL_EVF_EXEMPT_KTHREAD;
	return 0;
}

#include "wakeup.h"  /* wakeups placed by rules Java set */

void BPF_STRUCT_OPS(jl_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct jl_queued_task *msg;
	struct jl_task_class *cls;
	struct task_ctx *tctx;
	struct pending pe;
	u64 now, slice;

	if (dispatch_exempt(p, enq_flags))
		return;
	cls = class_of(p);
	slice = class_slice(cls, params.slice_ns);
	tctx = ctx_of(p);
	if (tctx)
		tctx->cls = cls ? cls->cls : JL_CLASS_NONE;

	/*
	 * The idle fast path for tasks that skipped select_cpu: the kernel calls it only for tasks
	 * that may run on more than one CPU, so a pinned task (cyclictest's threads, per-CPU
	 * workers) waking on an idle CPU would otherwise wait for a round trip to Java.
	 */
	if (params.idle_fastpath && !(enq_flags & SCX_ENQ_CPU_SELECTED)) {
		s32 cpu = scx_bpf_task_cpu(p);
		if (scx_bpf_test_and_clear_cpu_idle(cpu)) {
			note_deadline(p, 0);
			/* no kick: a task inserted into an idle CPU's local queue reschedules it (resched_curr) */
			scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, slice, enq_flags);
			count(&counters.idle_dispatches);
			count(&counters.kernel_dispatches);
			return;
		}
	}

	if (!tctx) {
		dispatch_fallback(p, enq_flags, slice, &counters.ring_full);
		return;
	}
	tctx->seq++;
	tctx->state = TS_NONE;

	if ((enq_flags & SCX_ENQ_WAKEUP) ? dispatch_by_rule(p, tctx, cls, slice, enq_flags)
					    : requeue_by_rule(p, tctx, cls, enq_flags))
		return;
	if ((enq_flags & SCX_ENQ_WAKEUP) && params.idle_fastpath && dispatch_over_housekeeping(p, tctx->cls, slice, enq_flags))
		return;

	if (params.congestion_bytes &&
	    bpf_ringbuf_query(&queued, BPF_RB_AVAIL_DATA) > params.congestion_bytes) {
		dispatch_fallback(p, enq_flags, slice, &counters.congested);
		return;
	}
	msg = bpf_ringbuf_reserve(&queued, sizeof(*msg), 0);
	if (!msg) {
		dispatch_fallback(p, enq_flags, slice, &counters.ring_full);
		return;
	}
	now = bpf_ktime_get_ns();
	pe.pid = p->pid;
	pe.pad = 0;
	pe.seq = tctx->seq;
	pe.enq_ns = now;
	/*
	 * The task is Java's before its pending entry exists: a rescue on another CPU may peek the
	 * entry the moment it is pushed, and drops it as "decided" unless it finds TS_IN_JAVA. The
	 * other order lost tasks that way: harmless while Java decided them anyway, a stall exit
	 * (java[1017] failed to run for 5.7 s) while Java decided nothing, e.g. during shutdown.
	 */
	tctx->enq_ns = now;
	tctx->woke = (enq_flags & SCX_ENQ_WAKEUP) ? 1 : 0;
	tctx->deadline = 0;
	tctx->state = TS_IN_JAVA;
	if (bpf_map_push_elem(&pending, &pe, 0)) {
		tctx->state = TS_NONE;
		bpf_ringbuf_discard(msg, 0);
		dispatch_fallback(p, enq_flags, slice, &counters.ring_full);
		return;
	}
	__sync_fetch_and_add(&pending_pushed, 1);

	msg->pid = p->pid;
	msg->tgid = p->tgid;
	msg->prev_cpu = scx_bpf_task_cpu(p);
	msg->nr_cpus_allowed = p->nr_cpus_allowed;
	msg->enq_flags = enq_flags;
	msg->seq = tctx->seq;
	msg->enq_ns = now;
	msg->exec_ns = tctx->exec_ns;
	msg->vtime = tctx->vtime;
	msg->weight = p->scx.weight;
	msg->flags = (enq_flags & SCX_ENQ_WAKEUP) ? JL_TASK_WAKEUP : 0;
	bpf_probe_read_kernel_str(msg->comm, sizeof(msg->comm), p->comm);
	/*
	 * Batching: wake Java only as wake_java_for() says. Otherwise the record waits for the batch
	 * Java reads next; dispatch() wakes Java when the shared queue runs low, the heartbeat when a
	 * record waits too long.
	 */
	bpf_ringbuf_submit(msg, wake_java_for(enq_flags, now) ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	count(&counters.queued);
}

void BPF_STRUCT_OPS(jl_dequeue, struct task_struct *p, u64 deq_flags)
{
	struct task_ctx *tctx = ctx_of(p);
	/* Whatever Java decides for the old enqueue is now stale. */
	if (tctx) {
		tctx->seq++;
		tctx->state = TS_NONE;
	}
}

#include "decisions.h"  /* apply_decision: Java's decisions, claimed and inserted */

#include "rescue.h"  /* rescue_pending: tasks Java left undecided */

/*
 * The deadline of the first task in a queue, if any: a lockless peek where the kernel has one
 * (6.19+), else the 6.12 DSQ iterator, which takes the queue's lock twice.
 */
static bool head_deadline(u64 dsq_id, u64 *deadline)
{
	struct task_struct *p;

	if (bpf_ksym_exists(scx_bpf_dsq_peek)) {
		p = scx_bpf_dsq_peek(dsq_id);
		if (!p)
			return false;
		*deadline = p->scx.dsq_vtime;
		return true;
	}
	bpf_for_each(scx_dsq, p, dsq_id, 0) {
		*deadline = p->scx.dsq_vtime;
		return true;
	}
	return false;
}

void BPF_STRUCT_OPS(jl_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 mine = 0, shared = 0;
	bool have_mine = false, have_shared;

	if (params.debug_error) {
		/* kernel.debug_error: a forced unload (SCX_EXIT_ERROR_BPF), to try the restart */
		static char fmt[] = "kernel.debug_error=%llu: a forced unload";
		unsigned long long args[] = { params.debug_error };

		scx_bpf_error_bstr(fmt, args, sizeof(args));
		return;
	}
	/* no wakeup of the ring's writer: Java never waits for room, and each is an irq_work (an IPI) */
	bpf_user_ringbuf_drain(&decisions, apply_decision, NULL, BPF_RB_NO_WAKEUP);
	rescue_pending(bpf_ktime_get_ns());

	if (scx_bpf_dsq_move_to_local(PRIO_DSQ))
		goto out;
	/*
	 * Earliest deadline first across this CPU's queue and the shared one. A queue's length is a
	 * plain read; its head is an iterator that takes the queue's lock twice: only when both have tasks.
	 */
	if (cpu >= 0 && cpu < MAX_CPUS && scx_bpf_dsq_nr_queued((u64)cpu))
		have_mine = head_deadline((u64)cpu, &mine);
	have_shared = have_mine && head_deadline(SHARED_DSQ, &shared);
	if (have_mine && (!have_shared || mine <= shared) && scx_bpf_dsq_move_to_local((u64)cpu))
		goto out;
	if (scx_bpf_dsq_move_to_local(SHARED_DSQ))
		goto out;
	if (have_mine)
		scx_bpf_dsq_move_to_local((u64)cpu);
out:
	if (!cpus_have_work() && bpf_ringbuf_query(&queued, BPF_RB_AVAIL_DATA) && java_sleeping())
		wake_java();
}

#include "task_time.h"  /* jl_runnable, jl_running, jl_stopping, jl_yield */

void BPF_STRUCT_OPS(jl_update_idle, s32 cpu, bool idle)
{
	u64 bit;

	if (cpu < 0 || cpu >= MAX_CPUS)
		return;
	bit = 1ULL << (cpu & 63);
	if (idle)
		__sync_fetch_and_or(&idle_mask[(u32)cpu / 64], bit);
	else
		__sync_fetch_and_and(&idle_mask[(u32)cpu / 64], ~bit);
}

s32 BPF_STRUCT_OPS(jl_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	if (!bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -ENOMEM;
	return 0;
}

/* The task is gone: its pid may be reused, so its verdict must not outlive it. */
void BPF_STRUCT_OPS(jl_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	s32 pid = p->pid;

	bpf_map_delete_elem(&task_classes, &pid);
}

/* trace: a task joins the scheduler (every task at attach, then each fork); only recorded */
void BPF_STRUCT_OPS(jl_enable, struct task_struct *p)
{
	sched_event(JL_EV_ENABLE, exempt_flag(p), p->pid, p->tgid, 0, p->scx.weight, p->comm);
}


#include "heartbeat.h"  /* the timer that wakes Java and idle CPUs when nothing else does */

s32 BPF_STRUCT_OPS_SLEEPABLE(jl_init)
{
	struct heartbeat *hb;
	u32 key = 0, i;
	s32 err;

	nr_cpus = scx_bpf_nr_cpu_ids();
	err = scx_bpf_create_dsq(SHARED_DSQ, -1);
	if (!err)
		err = scx_bpf_create_dsq(PRIO_DSQ, -1);
	if (err)
		return err;
	bpf_for(i, 0, MAX_CPUS) {
		if (i >= nr_cpus)
			break;
		err = scx_bpf_create_dsq(i, -1);
		if (err)
			return err;
	}
	hb = bpf_map_lookup_elem(&heartbeat, &key);
	if (!hb)
		return -ENOENT;
	bpf_timer_init(&hb->timer, &heartbeat, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&hb->timer, heartbeat_fn);
	return bpf_timer_start(&hb->timer, HEARTBEAT_NS, 0);
}

void BPF_STRUCT_OPS(jl_exit, struct scx_exit_info *ei)
{
	bpf_probe_read_kernel_str(exit_info.reason, sizeof(exit_info.reason), ei->reason);
	bpf_probe_read_kernel_str(exit_info.msg, sizeof(exit_info.msg), ei->msg);
	exit_info.exit_code = ei->exit_code;
	/* kind last: Java treats a non-zero kind as "exit info complete" */
	asm volatile("" ::: "memory");
	exit_info.kind = ei->kind;
}

#include "dump.h"  /* jl_dump, jl_dump_cpu, jl_dump_task */

SEC(".struct_ops.link")
struct sched_ext_ops javaland_ops = {
	.select_cpu = (void *)jl_select_cpu,
	.enqueue = (void *)jl_enqueue,
	.dequeue = (void *)jl_dequeue,
	.dispatch = (void *)jl_dispatch,
	.runnable = (void *)jl_runnable,
	.running = (void *)jl_running,
	.stopping = (void *)jl_stopping,
	.update_idle = (void *)jl_update_idle,
	.yield = (void *)jl_yield,
	.init_task = (void *)jl_init_task,
	.exit_task = (void *)jl_exit_task,
	.enable = (void *)jl_enable,          /* trace only */
	.init = (void *)jl_init,
	.exit = (void *)jl_exit,
	.dump = (void *)jl_dump,
	.dump_cpu = (void *)jl_dump_cpu,
	.dump_task = (void *)jl_dump_task,
	.dispatch_max_batch = 256,
	/* we track idle CPUs for Java, and still want the kernel's idle selection */
	.flags = SCX_OPS_KEEP_BUILTIN_IDLE,
	.timeout_ms = 5000,
	.name = "javaland",
};
