/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The round-trip and scheduling-delay histograms Java reads from the counters (included by
 * javaland.bpf.c after its globals). Their buckets are declared once, in intf.h (JL_RT_BUCKETS).
 */
#ifndef JAVALAND_HISTOGRAMS_H
#define JAVALAND_HISTOGRAMS_H

/* Index of v in the round-trip histogram: exact below 8, then 8 sub-buckets per power of 2. */
static __always_inline u32 rt_bucket(u64 v)
{
	u32 msb = 0;
	u64 x = v;
	if (v < 8)
		return (u32)v;
	if (x >> 32) { msb += 32; x >>= 32; }
	if (x >> 16) { msb += 16; x >>= 16; }
	if (x >> 8) { msb += 8; x >>= 8; }
	if (x >> 4) { msb += 4; x >>= 4; }
	if (x >> 2) { msb += 2; x >>= 2; }
	if (x >> 1) { msb += 1; }
	u32 idx = (msb - 2) * 8 + (u32)((v >> (msb - 3)) & 7);
	return idx < JL_RT_BUCKETS ? idx : JL_RT_BUCKETS - 1;
}

static __always_inline void record_roundtrip(u64 ns)
{
	u32 b = rt_bucket(ns);
	if (b < JL_RT_BUCKETS)
		__sync_fetch_and_add(&counters.rt_hist[b], 1);
	__sync_fetch_and_add(&counters.rt_count, 1);
	__sync_fetch_and_add(&counters.rt_sum_ns, ns);
	if (ns > counters.rt_max_ns)
		counters.rt_max_ns = ns; /* racy by design: an approximate max is enough */
}

/* Runnable -> running: into the class's histogram (same buckets as the round trip). */
static __always_inline void record_sched_delay(u32 cls, u64 ns)
{
	u32 c = cls & 1;
	u32 b = rt_bucket(ns);
	if (b < JL_RT_BUCKETS)
		__sync_fetch_and_add(&sched_delay.hist[c][b], 1);
	__sync_fetch_and_add(&sched_delay.count[c], 1);
	__sync_fetch_and_add(&sched_delay.sum_ns[c], ns);
}

#endif /* JAVALAND_HISTOGRAMS_H */
