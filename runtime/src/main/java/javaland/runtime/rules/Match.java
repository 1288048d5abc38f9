package javaland.runtime.rules;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javaland.runtime.kernel.TaskInfo;

/** A condition on a task; a rule's {@code match} mapping is the {@link All} of its keys. */
sealed interface Match {
  /** {@code regexRuns} counts regex evaluations (tests check none happen per dispatch). */
  boolean test(TaskInfo t, AtomicLong regexRuns);

  record All(List<Match> parts) implements Match {
    @Override
    public boolean test(TaskInfo t, AtomicLong regexRuns) {
      for (Match m : parts) if (!m.test(t, regexRuns)) return false;
      return true;
    }
  }

  record Any(List<Match> parts) implements Match {
    @Override
    public boolean test(TaskInfo t, AtomicLong regexRuns) {
      for (Match m : parts) if (m.test(t, regexRuns)) return true;
      return false;
    }
  }

  /** Regex search (unanchored: use ^ and $) in the command name. */
  record Comm(Pattern regex) implements Match {
    @Override
    public boolean test(TaskInfo t, AtomicLong regexRuns) {
      regexRuns.incrementAndGet();
      return regex.matcher(t.comm()).find();
    }
  }

  /** Regex search in the executable's path; a task whose path is unknown does not match. */
  record Exe(Pattern regex) implements Match {
    @Override
    public boolean test(TaskInfo t, AtomicLong regexRuns) {
      if (t.exe().isEmpty()) return false;
      regexRuns.incrementAndGet();
      return regex.matcher(t.exe()).find();
    }
  }

  /** The cgroup v2 path starts with {@code prefix}. */
  record Cgroup(String prefix) implements Match {
    @Override
    public boolean test(TaskInfo t, AtomicLong regexRuns) {
      return !t.cgroup().isEmpty() && t.cgroup().startsWith(prefix);
    }
  }

  enum Id {
    UID, GID, PID, TGID
  }

  /** One of the ids equals one of {@code values}. */
  record Ids(Id id, long[] values) implements Match {
    @Override
    public boolean test(TaskInfo t, AtomicLong regexRuns) {
      long v = switch (id) {
        case UID -> Integer.toUnsignedLong(t.uid());
        case GID -> Integer.toUnsignedLong(t.gid());
        case PID -> t.pid();
        case TGID -> t.tgid();
      };
      for (long x : values) if (x == v) return true;
      return false;
    }
  }

  record Nice(int min, int max) implements Match {
    @Override
    public boolean test(TaskInfo t, AtomicLong regexRuns) {
      return t.nice() >= min && t.nice() <= max;
    }
  }
}
