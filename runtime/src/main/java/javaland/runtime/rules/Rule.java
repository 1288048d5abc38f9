package javaland.runtime.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import javaland.sdk.TaskClass;
import java.util.concurrent.atomic.AtomicLong;
import javaland.runtime.kernel.TaskInfo;

/**
 * One validated rule.
 *
 * @param name unique within the rule set
 * @param match what it matches; null matches every task
 * @param action what a matched task gets
 * @param json the rule as given (one entry of the file's {@code rules} list), for listing and storing
 */
public record Rule(String name, Match match, Action action, ObjectNode json) {
  public boolean matches(TaskInfo t, AtomicLong regexRuns) {
    return match == null || match.test(t, regexRuns);
  }

  /**
   * What a matched task gets.
   *
   * @param priority -100..100, 0 by default: higher runs earlier within the class
   * @param sliceMinNs 0 when not bounded
   * @param sliceMaxNs 0 when not bounded
   * @param preferredCpus a bit mask (bit c of word c/64), null for no preference
   */
  public record Action(TaskClass taskClass, int priority, long sliceMinNs, long sliceMaxNs, long[] preferredCpus) {}
}
