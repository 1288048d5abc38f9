package javaland.runtime.policy;

import javaland.runtime.kernel.TaskBatch;

/** The decisions a policy made in a batch, copied into parallel arrays in batch order. */
final class RecordingDecisions {
  final int[] pid;
  final long[] seq;
  final int[] cpu;
  final long[] slice;
  final long[] deadline;
  final long[] vtime;
  int count;

  RecordingDecisions(int capacity) {
    pid = new int[capacity];
    seq = new long[capacity];
    cpu = new int[capacity];
    slice = new long[capacity];
    deadline = new long[capacity];
    vtime = new long[capacity];
  }

  /** Replaces what was recorded with {@code batch}'s decided tasks, in batch order. */
  void record(TaskBatch batch) {
    clear();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.decided(i)) {
        add(batch.pid(i), batch.seq(i), batch.decidedCpu(i), batch.decidedSliceNs(i), batch.decidedDeadline(i),
            batch.decidedVtime(i));
      }
    }
  }

  private void add(int pid, long seq, int cpu, long sliceNs, long deadline, long vtime) {
    if (count == this.pid.length) throw new AssertionError("more decisions than the recorder holds (" + count + ")");
    int i = count++;
    this.pid[i] = pid;
    this.seq[i] = seq;
    this.cpu[i] = cpu;
    this.slice[i] = sliceNs;
    this.deadline[i] = deadline;
    this.vtime[i] = vtime;
  }

  void clear() {
    count = 0;
  }

  /** The index of the (only) decision for {@code pid}; fails when there is none or several. */
  int indexOf(int pid) {
    int found = -1;
    for (int i = 0; i < count; i++) {
      if (this.pid[i] == pid) {
        if (found >= 0) throw new AssertionError("two decisions for pid " + pid);
        found = i;
      }
    }
    if (found < 0) throw new AssertionError("no decision for pid " + pid);
    return found;
  }
}
