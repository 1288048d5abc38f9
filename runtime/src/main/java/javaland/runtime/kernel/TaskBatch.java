package javaland.runtime.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javaland.sdk.Decision;
import javaland.sdk.TaskClass;
import javaland.sdk.WaitingTasks;

/**
 * The tasks waiting for a decision and the decisions made for them, as parallel arrays reused
 * from batch to batch: filling, reading, deciding and encoding a batch allocate nothing. The
 * kernel fills it ({@link #add}), the classifier adds what the rules say ({@link #classify}),
 * the policy reads it and decides through {@link WaitingTasks}, and the kernel encodes the
 * decided tasks ({@link #decided}): the pid and enqueue counter of a decision always come from
 * the queued task.
 */
public final class TaskBatch implements WaitingTasks {
  public static final int COMM_LEN = 16;

  private final int capacity;
  private int size;
  final int[] pid;
  final int[] tgid;
  final int[] prevCpu;
  final int[] nrCpusAllowed;
  final int[] weight;
  final int[] flags;
  final long[] seq;
  final long[] enqueuedAtNs;
  final long[] execNs;
  final long[] vtime;
  final byte[] comm;
  // What the task's classification rule says (javaland.runtime.rules); filled after the kernel
  // filled the batch, from a cache, so reading them is as cheap as the columns above.
  private final TaskClass[] taskClass;
  private final int[] priority;
  private final long[] sliceMinNs;
  private final long[] sliceMaxNs;
  private final long[][] preferredCpus;
  // The decisions: written through the cursor, read by the kernel's encoder. One task's fields
  // side by side (cpu, slice, deadline, vtime, its wakeup rule), so deciding and encoding touch one line.
  private static final int CPU = 0;
  private static final int SLICE = 1;
  private static final int DEADLINE = 2;
  private static final int VTIME = 3;
  private static final int WAKE_SLICE = 4;
  private static final int WAKE_DEADLINE = 5;
  private static final int FIELDS = 6;
  private final boolean[] decided;
  private final long[] decision;
  private final Cursor cursor = new Cursor();

  public TaskBatch(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("batch capacity must be >= 1, got " + capacity);
    this.capacity = capacity;
    pid = new int[capacity];
    tgid = new int[capacity];
    prevCpu = new int[capacity];
    nrCpusAllowed = new int[capacity];
    weight = new int[capacity];
    flags = new int[capacity];
    seq = new long[capacity];
    enqueuedAtNs = new long[capacity];
    execNs = new long[capacity];
    vtime = new long[capacity];
    comm = new byte[capacity * COMM_LEN];
    taskClass = new TaskClass[capacity];
    priority = new int[capacity];
    sliceMinNs = new long[capacity];
    sliceMaxNs = new long[capacity];
    preferredCpus = new long[capacity][];
    decided = new boolean[capacity];
    decision = new long[capacity * FIELDS];
  }

  @Override
  public int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  public boolean isFull() {
    return size == capacity;
  }

  @Override
  public int pid(int i) {
    return pid[i];
  }

  @Override
  public int tgid(int i) {
    return tgid[i];
  }

  @Override
  public int prevCpu(int i) {
    return prevCpu[i];
  }

  @Override
  public int nrCpusAllowed(int i) {
    return nrCpusAllowed[i];
  }

  @Override
  public int weight(int i) {
    return weight[i];
  }

  /** The enqueue counter the kernel queued the task with; its decision carries it back. */
  public long seq(int i) {
    return seq[i];
  }

  @Override
  public long enqueuedAtNs(int i) {
    return enqueuedAtNs[i];
  }

  @Override
  public long execNs(int i) {
    return execNs[i];
  }

  @Override
  public long vtime(int i) {
    return vtime[i];
  }

  @Override
  public boolean wokeUp(int i) {
    return (flags[i] & 1) != 0;
  }

  @Override
  public String comm(int i) {
    int base = i * COMM_LEN;
    int len = 0;
    while (len < COMM_LEN && comm[base + len] != 0) len++;
    return new String(comm, base, len, StandardCharsets.UTF_8);
  }

  @Override
  public boolean commStartsWith(int i, byte[] prefix) {
    if (prefix.length > COMM_LEN) return false;
    int base = i * COMM_LEN;
    for (int k = 0; k < prefix.length; k++) {
      if (comm[base + k] != prefix[k]) return false;
    }
    return true;
  }

  /** A 64-bit hash of task {@code i}'s command name: allocation-free, for caches keyed by comm. */
  public long commHash(int i) {
    int base = i * COMM_LEN;
    long h = 0xcbf29ce484222325L;
    for (int k = 0; k < COMM_LEN; k++) {
      byte b = comm[base + k];
      if (b == 0) break;
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  /** The comm bytes of every task, writable: for kernel implementations filling the batch. */
  public byte[] commBytes() {
    return comm;
  }

  /** Empties the batch; the kernel side calls it before filling. */
  public void clear() {
    size = 0;
  }

  /** Appends one task, unclassified and undecided; returns its index. For kernels and tests. */
  public int add(int pid, int tgid, int prevCpu, int nrCpusAllowed, int weight, boolean wokeUp,
      long seq, long enqueuedAtNs, long execNs, long vtime) {
    if (size == capacity) throw new IllegalStateException("batch is full (" + capacity + ")");
    int i = size++;
    this.pid[i] = pid;
    this.tgid[i] = tgid;
    this.prevCpu[i] = prevCpu;
    this.nrCpusAllowed[i] = nrCpusAllowed;
    this.weight[i] = weight;
    this.flags[i] = wokeUp ? 1 : 0;
    this.seq[i] = seq;
    this.enqueuedAtNs[i] = enqueuedAtNs;
    this.execNs[i] = execNs;
    this.vtime[i] = vtime;
    Arrays.fill(comm, i * COMM_LEN, (i + 1) * COMM_LEN, (byte) 0);
    classify(i, TaskClass.NONE, 0, 0, 0, null);
    decided[i] = false;
    return i;
  }

  // ---------------------------------------------------------------- classification (rules)

  /** Sets task {@code i}'s classification; a 0 slice bound means none, a null mask no preference. */
  public void classify(int i, TaskClass cls, int priority, long sliceMinNs, long sliceMaxNs, long[] preferredCpus) {
    this.taskClass[i] = cls;
    this.priority[i] = priority;
    this.sliceMinNs[i] = sliceMinNs;
    this.sliceMaxNs[i] = sliceMaxNs;
    this.preferredCpus[i] = preferredCpus;
  }

  @Override
  public TaskClass taskClass(int i) {
    return taskClass[i];
  }

  @Override
  public int priority(int i) {
    return priority[i];
  }

  @Override
  public long sliceMinNs(int i) {
    return sliceMinNs[i];
  }

  @Override
  public long sliceMaxNs(int i) {
    return sliceMaxNs[i];
  }

  @Override
  public boolean hasPreferredCpus(int i) {
    return preferredCpus[i] != null;
  }

  @Override
  public boolean prefersCpu(int i, int cpu) {
    long[] mask = preferredCpus[i];
    if (mask == null) return true;
    int word = cpu >>> 6;
    return cpu >= 0 && word < mask.length && (mask[word] & (1L << cpu)) != 0;
  }

  // ---------------------------------------------------------------- decisions

  @Override
  public Decision decide(int i) {
    if (i < 0 || i >= size) throw new IndexOutOfBoundsException("task " + i + " of a batch of " + size);
    decided[i] = true;
    int at = i * FIELDS;
    decision[at + CPU] = Decision.ANY_CPU;
    decision[at + SLICE] = 0;
    decision[at + DEADLINE] = enqueuedAtNs[i];
    decision[at + VTIME] = vtime[i];
    decision[at + WAKE_SLICE] = 0;
    decision[at + WAKE_DEADLINE] = 0;
    cursor.at = at;
    return cursor;
  }

  /** Whether the policy decided for task {@code i}. */
  public boolean decided(int i) {
    return decided[i];
  }

  /** The decided CPU, or {@link Decision#ANY_CPU}. */
  public int decidedCpu(int i) {
    return (int) decision[(i * FIELDS) + CPU];
  }

  /** The decided slice in ns; 0 for the kernel's. */
  public long decidedSliceNs(int i) {
    return decision[(i * FIELDS) + SLICE];
  }

  public long decidedDeadline(int i) {
    return decision[(i * FIELDS) + DEADLINE];
  }

  public long decidedVtime(int i) {
    return decision[(i * FIELDS) + VTIME];
  }

  /** The slice of the wakeup rule pushed down with the decision ({@link Decision#wakeup}); 0: none. */
  public long decidedWakeSliceNs(int i) {
    return decision[i * FIELDS + WAKE_SLICE];
  }

  /** The deadline offset of the wakeup rule pushed down with the decision, in ns after the wakeup. */
  public long decidedWakeDeadlineNs(int i) {
    return decision[i * FIELDS + WAKE_DEADLINE];
  }

  /** The one decision object of this batch: writes into task {@code i}'s decision columns. */
  private final class Cursor implements Decision {
    int at;

    @Override
    public Decision cpu(int c) {
      decision[at + CPU] = c;
      return this;
    }

    @Override
    public Decision sliceNs(long ns) {
      decision[at + SLICE] = ns;
      return this;
    }

    @Override
    public Decision deadline(long d) {
      decision[at + DEADLINE] = d;
      return this;
    }

    @Override
    public Decision vtime(long v) {
      decision[at + VTIME] = v;
      return this;
    }

    @Override
    public Decision wakeup(long sliceNs, long deadlineOffsetNs) {
      // a negative slice would read as a huge u64 in the kernel: no rule instead
      decision[at + WAKE_SLICE] = Math.max(0, sliceNs);
      decision[at + WAKE_DEADLINE] = deadlineOffsetNs;
      return this;
    }
  }
}
