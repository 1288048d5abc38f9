package javaland.runtime.kernel.sim;

import javaland.runtime.kernel.TaskBatch;

/**
 * The simulated ring to Java and BPF's pending queue. In the kernel they hold the same records in
 * the same order, so here they are one log read by two cursors: {@code read} (what the policy
 * has taken) and {@code pending} (what the rescue walk has passed). Parallel primitive arrays:
 * nothing is allocated per record.
 */
final class QueuedLog {
  final int[] task;
  final int[] prevCpu;
  final long[] seq;
  final long[] enqNs;
  final long[] execNs;
  final long[] vtime;
  final boolean[] wakeup;
  private final int mask;
  long write;
  long read;
  long pending;

  QueuedLog(int minCapacity) {
    int cap = Integer.highestOneBit(minCapacity - 1) << 1;
    mask = cap - 1;
    task = new int[cap];
    prevCpu = new int[cap];
    seq = new long[cap];
    enqNs = new long[cap];
    execNs = new long[cap];
    vtime = new long[cap];
    wakeup = new boolean[cap];
  }

  /** The array index of the record at {@code cursor}. */
  int slot(long cursor) {
    return (int) (cursor & mask);
  }

  /** Records the policy has not read. */
  long unread() {
    return write - read;
  }

  /** Records the rescue walk has not passed. */
  long pendingCount() {
    return write - pending;
  }

  void append(int t, long s, long enq, int cpu, long exec, long vt, boolean woke) {
    int e = slot(write++);
    task[e] = t;
    seq[e] = s;
    enqNs[e] = enq;
    prevCpu[e] = cpu;
    execNs[e] = exec;
    vtime[e] = vt;
    wakeup[e] = woke;
  }

  /** Reads the unread records into {@code batch}, oldest first, up to its capacity (the policy's poll). */
  int fill(TaskBatch batch, SimTasks tasks, int nrCpus) {
    int n = 0;
    byte[] comms = batch.commBytes();
    while (unread() > 0 && !batch.isFull()) {
      int e = slot(read++);
      int t = task[e];
      int i = batch.add(SimKernel.PID_BASE + t, SimKernel.PID_BASE + tasks.groupBase[t], prevCpu[e], nrCpus,
          tasks.weight[t], wakeup[e], seq[e], enqNs[e], execNs[e], vtime[e]);
      System.arraycopy(tasks.comm, t * TaskBatch.COMM_LEN, comms, i * TaskBatch.COMM_LEN, TaskBatch.COMM_LEN);
      n++;
    }
    return n;
  }
}
