package javaland.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Command names too common to carry a learned class. A learned class goes by command name, so a
 * class learned for one {@code java} or {@code python3} process would apply to every process of
 * that name: every JVM, every script, whatever it does. Interpreters, virtual machines, shells and
 * the wrappers that exec into something else are refused by the runtime ({@code POST
 * /learned-classes}: 422) and never proposed by the learner. A person's rule can still name them,
 * narrowed by executable path, cgroup or user (docs/rules.md).
 */
public final class SharedCommandNames {
  private static final Pattern SHARED = Pattern.compile(
      "java|python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby[0-9.]*|node|nodejs|deno|bun|php[0-9.]*|lua[0-9.]*|luajit|dotnet|mono"
          + "|beam\\.smp|erl|Rscript|R|sh|bash|dash|zsh|ksh|mksh|fish|tcsh|csh|busybox|env|sudo|su|runuser|setpriv|timeout"
          + "|nice|ionice|nohup|chrt|taskset|xargs|make|flock|stdbuf|time|strace");

  private SharedCommandNames() {}

  /** Why {@code comm} cannot carry a learned class, if it cannot. */
  public static Optional<String> refusal(String comm) {
    if (comm == null || !SHARED.matcher(comm).matches()) return Optional.empty();
    return Optional.of("'" + comm + "' is the command name of many unrelated processes (an interpreter, a shell or a wrapper):"
        + " a class learned by that name would apply to all of them");
  }
}
