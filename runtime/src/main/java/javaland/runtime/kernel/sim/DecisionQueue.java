package javaland.runtime.kernel.sim;

/**
 * The policy's decisions on their way to the kernel (the user ring buffer): written one by one,
 * closed into batches at flush, and applied a batch at a time when its round trip ends. A ring
 * of primitive slots that grows if the policy runs far ahead; nothing is allocated per decision.
 */
final class DecisionQueue {
  private int[] pid = new int[1024];
  private int[] cpu = new int[1024];
  private long[] seq = new long[1024];
  private long[] slice = new long[1024];
  private long[] deadline = new long[1024];
  private long[] vtime = new long[1024];
  private long[] wakeSlice = new long[1024];
  private long[] wakeDeadline = new long[1024];
  private long written;
  private long closed;
  private long applied;
  private final IntFifo batchSizes = new IntFifo(16);

  void add(int pid, long seq, int cpu, long sliceNs, long deadline, long vtime, long wakeSliceNs, long wakeDeadlineNs) {
    if (written - applied == this.pid.length) grow();
    int i = (int) (written & (this.pid.length - 1));
    this.pid[i] = pid;
    this.seq[i] = seq;
    this.cpu[i] = cpu;
    this.slice[i] = sliceNs;
    this.deadline[i] = deadline;
    this.vtime[i] = vtime;
    this.wakeSlice[i] = wakeSliceNs;
    this.wakeDeadline[i] = wakeDeadlineNs;
    written++;
  }

  boolean hasOpenBatch() {
    return written != closed;
  }

  /** Closes the decisions written since the last call into a batch; returns its size (0: none). */
  int closeBatch() {
    int n = (int) (written - closed);
    if (n > 0) {
      batchSizes.add(n);
      closed = written;
    }
    return n;
  }

  /** Applies the oldest closed batch, in the order the policy wrote it. */
  void applyBatch(SimMachine m) {
    int n = batchSizes.poll();
    for (int k = 0; k < n; k++) {
      int i = (int) (applied++ & (pid.length - 1));
      m.apply(pid[i], seq[i], cpu[i], slice[i], deadline[i], vtime[i], wakeSlice[i], wakeDeadline[i]);
    }
  }

  private void grow() {
    int cap = pid.length * 2;
    int[] p = new int[cap];
    int[] c = new int[cap];
    long[] s = new long[cap];
    long[] sl = new long[cap];
    long[] d = new long[cap];
    long[] v = new long[cap];
    long[] ws = new long[cap];
    long[] wd = new long[cap];
    for (long k = applied; k < written; k++) {
      int from = (int) (k & (pid.length - 1));
      int to = (int) (k & (cap - 1));
      p[to] = pid[from];
      c[to] = cpu[from];
      s[to] = seq[from];
      sl[to] = slice[from];
      d[to] = deadline[from];
      v[to] = vtime[from];
      ws[to] = wakeSlice[from];
      wd[to] = wakeDeadline[from];
    }
    pid = p;
    cpu = c;
    seq = s;
    slice = sl;
    deadline = d;
    vtime = v;
    wakeSlice = ws;
    wakeDeadline = wd;
  }
}
