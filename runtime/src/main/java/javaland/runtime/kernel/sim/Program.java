package javaland.runtime.kernel.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * What a simulated task does: a small, immutable list of operations that tasks of the same role
 * share (each task keeps its own program counter, loop counter and random generator).
 *
 * <p>Tasks address each other relative to their group (see {@link Workload.Builder#group()}):
 * {@code post(0)} wakes the group's first task, so one program serves every copy of a group.
 *
 * <p>Operations: {@code run} uses CPU; {@code sleep} and {@code periodEnd} block on a timer;
 * {@code waitFor(n)} blocks until n posts arrived (posts made before the wait are kept, like a
 * semaphore); {@code post*} wake other tasks; {@code jump}, {@code loop}, {@code jumpIfAfter}
 * and {@code exitIfAfter} steer; {@code mark}, {@code recordSinceMark}, {@code recordSincePost}
 * and {@code periodEnd} record response times; {@code exit} ends the task. Falling off the end
 * exits.
 */
public final class Program {
  static final int RUN = 0;
  static final int SLEEP = 1;
  static final int WAIT = 2;
  static final int POST = 3;
  static final int POST_ALL = 4;
  static final int POST_RR = 5;
  static final int JUMP = 6;
  static final int LOOP = 7;
  static final int JUMP_IF_AFTER = 8;
  static final int EXIT_IF_AFTER = 9;
  static final int MARK = 10;
  static final int RECORD_SINCE_MARK = 11;
  static final int RECORD_SINCE_POST = 12;
  static final int PERIOD_END = 13;
  static final int EXIT = 14;

  private static final String[] NAMES = {"run", "sleep", "waitFor", "post", "postAll", "postRoundRobin",
      "jump", "loop", "jumpIfAfter", "exitIfAfter", "mark", "recordSinceMark", "recordSincePost",
      "periodEnd", "exit"};

  // One entry per operation, as parallel primitive arrays for the interpreter's hot loop.
  final int[] op;
  final Dist[] dist;
  final long[] x;   // time operand: jumpIfAfter/exitIfAfter time, period
  final long[] y;   // second time operand: relative deadline
  final int[] n;    // int operand: wait count, member offset, loop count
  final int[] m;    // second int operand: member count, jump target

  private Program(List<long[]> ops, List<Dist> dists) {
    int len = ops.size();
    op = new int[len];
    dist = dists.toArray(new Dist[0]);
    x = new long[len];
    y = new long[len];
    n = new int[len];
    m = new int[len];
    for (int i = 0; i < len; i++) {
      long[] o = ops.get(i);
      op[i] = (int) o[0];
      x[i] = o[1];
      y[i] = o[2];
      n[i] = (int) o[3];
      m[i] = (int) o[4];
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public int length() {
    return op.length;
  }

  /** The largest group member this program posts to, or -1: checked against the group's size. */
  int highestMember() {
    int max = -1;
    for (int i = 0; i < op.length; i++) {
      switch (op[i]) {
        case POST -> max = Math.max(max, n[i]);
        case POST_ALL, POST_RR -> max = Math.max(max, n[i] + m[i] - 1);
        default -> { }
      }
    }
    return max;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Program p && java.util.Arrays.equals(op, p.op) && java.util.Arrays.equals(dist, p.dist)
        && java.util.Arrays.equals(x, p.x) && java.util.Arrays.equals(y, p.y) && java.util.Arrays.equals(n, p.n)
        && java.util.Arrays.equals(m, p.m);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(op) * 31 + java.util.Arrays.hashCode(x) * 17 + java.util.Arrays.hashCode(m);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Program[");
    for (int i = 0; i < op.length; i++) {
      if (i > 0) s.append("; ");
      s.append(i).append(':').append(NAMES[op[i]]);
      if (dist[i] != null) s.append(' ').append(dist[i]);
    }
    return s.append(']').toString();
  }

  /** Appends operations; {@link #pc()} gives the index of the next one, for jumps and loops. */
  public static final class Builder {
    private final List<long[]> ops = new ArrayList<>();
    private final List<Dist> dists = new ArrayList<>();

    private Builder add(int code, Dist d, long x, long y, int n, int m) {
      ops.add(new long[] {code, x, y, n, m});
      dists.add(d);
      return this;
    }

    /** The index the next operation will have. */
    public int pc() {
      return ops.size();
    }

    public Builder run(Dist d) {
      return add(RUN, d, 0, 0, 0, 0);
    }

    public Builder run(long ns) {
      return run(Dist.fixed(ns));
    }

    public Builder sleep(Dist d) {
      return add(SLEEP, d, 0, 0, 0, 0);
    }

    public Builder sleep(long ns) {
      return sleep(Dist.fixed(ns));
    }

    /** Blocks until {@code posts} posts have arrived since the last wait consumed its share. */
    public Builder waitFor(int posts) {
      if (posts < 1) throw new IllegalArgumentException("waitFor needs >= 1 post");
      return add(WAIT, null, 0, 0, posts, 0);
    }

    /** Wakes group member {@code member} (0 = the group's first task). */
    public Builder post(int member) {
      if (member < 0) throw new IllegalArgumentException("member must be >= 0");
      return add(POST, null, 0, 0, member, 0);
    }

    /** Wakes members {@code first .. first+count-1}. */
    public Builder postAll(int first, int count) {
      if (first < 0 || count < 1) throw new IllegalArgumentException("bad member range");
      return add(POST_ALL, null, 0, 0, first, count);
    }

    /** Wakes one of members {@code first .. first+count-1}, taking turns. */
    public Builder postRoundRobin(int first, int count) {
      if (first < 0 || count < 1) throw new IllegalArgumentException("bad member range");
      return add(POST_RR, null, 0, 0, first, count);
    }

    public Builder jump(int pc) {
      return add(JUMP, null, 0, 0, 0, pc);
    }

    /** Jumps to {@code pc} until this point was passed {@code times} times in a row (0: forever). */
    public Builder loop(int times, int pc) {
      if (times < 0) throw new IllegalArgumentException("times must be >= 0");
      return add(LOOP, null, 0, 0, times, pc);
    }

    /** Jumps to {@code pc} once virtual time reached {@code timeNs}. */
    public Builder jumpIfAfter(long timeNs, int pc) {
      return add(JUMP_IF_AFTER, null, timeNs, 0, 0, pc);
    }

    public Builder exitIfAfter(long timeNs) {
      return add(EXIT_IF_AFTER, null, timeNs, 0, 0, 0);
    }

    /** Remembers now, for {@link #recordSinceMark()}. */
    public Builder mark() {
      return add(MARK, null, 0, 0, 0, 0);
    }

    public Builder recordSinceMark() {
      return add(RECORD_SINCE_MARK, null, 0, 0, 0, 0);
    }

    /** Records the time since the post that this task's last wait consumed (a request's latency). */
    public Builder recordSincePost() {
      return add(RECORD_SINCE_POST, null, 0, 0, 0, 0);
    }

    /**
     * Ends one activation of a periodic task: records its response time since its release (the
     * first release is the task's start), counts a deadline miss if it finished later than
     * {@code deadlineNs} after the release, then sleeps until the next release ({@code periodNs}
     * later; at once if that is already past).
     */
    public Builder periodEnd(long periodNs, long deadlineNs) {
      if (periodNs < 1 || deadlineNs < 1) throw new IllegalArgumentException("period and deadline must be > 0");
      return add(PERIOD_END, null, periodNs, deadlineNs, 0, 0);
    }

    public Builder exit() {
      return add(EXIT, null, 0, 0, 0, 0);
    }

    public Program build() {
      if (ops.isEmpty() || ops.getLast()[0] != EXIT) exit();
      for (long[] o : ops) {
        int code = (int) o[0];
        if ((code == JUMP || code == LOOP || code == JUMP_IF_AFTER) && (o[4] < 0 || o[4] >= ops.size())) {
          throw new IllegalArgumentException("jump target " + o[4] + " outside the program (0.." + (ops.size() - 1) + ")");
        }
      }
      return new Program(ops, dists);
    }
  }
}
