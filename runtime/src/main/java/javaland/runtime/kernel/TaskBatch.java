package javaland.runtime.kernel;

import java.nio.charset.StandardCharsets;

/**
 * The tasks waiting for a decision, as parallel arrays that are reused from batch to batch:
 * filling and reading a batch allocates nothing. Index {@code i} runs from 0 to {@link #size()}.
 */
public final class TaskBatch {
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
  final byte[] taskClass;
  final int[] priority;
  final long[] sliceMinNs;
  final long[] sliceMaxNs;
  final long[][] preferredCpus;

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
    taskClass = new byte[capacity];
    priority = new int[capacity];
    sliceMinNs = new long[capacity];
    sliceMaxNs = new long[capacity];
    preferredCpus = new long[capacity][];
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  public int pid(int i) {
    return pid[i];
  }

  public int tgid(int i) {
    return tgid[i];
  }

  /** The CPU the task last ran on. */
  public int prevCpu(int i) {
    return prevCpu[i];
  }

  public int nrCpusAllowed(int i) {
    return nrCpusAllowed[i];
  }

  /** Scheduling weight, 1..10000; 100 is nice 0. */
  public int weight(int i) {
    return weight[i];
  }

  /** The enqueue counter to echo back in the decision. */
  public long seq(int i) {
    return seq[i];
  }

  public long enqueuedAtNs(int i) {
    return enqueuedAtNs[i];
  }

  /** CPU time the task used since it last woke up. */
  public long execNs(int i) {
    return execNs[i];
  }

  public long vtime(int i) {
    return vtime[i];
  }

  /** Queued because it woke up, rather than because its slice ran out. */
  public boolean wokeUp(int i) {
    return (flags[i] & 1) != 0;
  }

  /** The command name; allocates, so keep it off the hot path (use {@link #commStartsWith}). */
  public String comm(int i) {
    int base = i * COMM_LEN;
    int len = 0;
    while (len < COMM_LEN && comm[base + len] != 0) len++;
    return new String(comm, base, len, StandardCharsets.UTF_8);
  }

  /** Allocation-free prefix test on the command name. */
  public boolean commStartsWith(int i, byte[] prefix) {
    if (prefix.length > COMM_LEN) return false;
    int base = i * COMM_LEN;
    for (int k = 0; k < prefix.length; k++) {
      if (comm[base + k] != prefix[k]) return false;
    }
    return true;
  }

  /** Empties the batch; the kernel side calls it before filling. */
  public void clear() {
    size = 0;
  }

  /** Appends one task; returns its index. For kernel implementations and tests. */
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
    java.util.Arrays.fill(comm, i * COMM_LEN, (i + 1) * COMM_LEN, (byte) 0);
    classify(i, CLASS_NONE, 0, 0, 0, null);
    return i;
  }

  // ---------------------------------------------------------------- classification (rules)

  /** No rule classified the task (yet): policies treat it as they did before rules existed. */
  public static final byte CLASS_NONE = 0;
  public static final byte CLASS_LATENCY_CRITICAL = 1;
  public static final byte CLASS_INTERACTIVE = 2;
  public static final byte CLASS_BATCH = 3;
  public static final byte CLASS_BACKGROUND = 4;

  /** Sets task {@code i}'s classification; a 0 slice bound means none, a null mask no preference. */
  public void classify(int i, byte cls, int priority, long sliceMinNs, long sliceMaxNs, long[] preferredCpus) {
    this.taskClass[i] = cls;
    this.priority[i] = priority;
    this.sliceMinNs[i] = sliceMinNs;
    this.sliceMaxNs[i] = sliceMaxNs;
    this.preferredCpus[i] = preferredCpus;
  }

  /** One of the {@code CLASS_*} constants. */
  public byte taskClass(int i) {
    return taskClass[i];
  }

  /** The rule's priority, -100..100, 0 when none: higher runs earlier within its class. */
  public int priority(int i) {
    return priority[i];
  }

  /** The rule's shortest slice in ns, 0 when none. */
  public long sliceMinNs(int i) {
    return sliceMinNs[i];
  }

  /** The rule's longest slice in ns, 0 when none. */
  public long sliceMaxNs(int i) {
    return sliceMaxNs[i];
  }

  /** Clamps {@code sliceNs} into the rule's slice bounds, where it has any. */
  public long clampSlice(int i, long sliceNs) {
    long s = sliceNs;
    if (sliceMaxNs[i] > 0 && s > sliceMaxNs[i]) s = sliceMaxNs[i];
    if (sliceMinNs[i] > 0 && s < sliceMinNs[i]) s = sliceMinNs[i];
    return s;
  }

  /** Whether the rule names preferred CPUs for task {@code i}. */
  public boolean hasPreferredCpus(int i) {
    return preferredCpus[i] != null;
  }

  /** Whether {@code cpu} is one of task {@code i}'s preferred CPUs (true when it has none). */
  public boolean prefersCpu(int i, int cpu) {
    long[] mask = preferredCpus[i];
    if (mask == null) return true;
    int word = cpu >>> 6;
    return cpu >= 0 && word < mask.length && (mask[word] & (1L << cpu)) != 0;
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

  /** The comm bytes of task {@code i}, writable: for kernel implementations filling the batch. */
  public byte[] commBytes() {
    return comm;
  }

  public boolean isFull() {
    return size == capacity;
  }
}
