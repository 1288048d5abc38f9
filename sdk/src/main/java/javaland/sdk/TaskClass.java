package javaland.sdk;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the classification rules (or the learner) say a task is; policies order and slice by it.
 * The ordinal is the kernel's {@code JL_CLASS_*} number (bpf/intf.h), which a test checks.
 */
public enum TaskClass {
  /** No rule classified the task (yet): treat it as if rules did not exist. */
  NONE("none"),
  LATENCY_CRITICAL("latency-critical"),
  INTERACTIVE("interactive"),
  BATCH("batch"),
  BACKGROUND("background");

  private static final TaskClass[] BY_ID = values();

  private final String label;

  TaskClass(String label) {
    this.label = label;
  }

  /** As written in rules files and the API ("latency-critical"). */
  public String label() {
    return label;
  }

  /** The kernel's number for the class. */
  public byte id() {
    return (byte) ordinal();
  }

  /** The class numbered {@code id}; NONE for a number no class has. Allocation-free. */
  public static TaskClass ofId(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : NONE;
  }

  /** A class a rule may assign, by its label (not NONE). */
  public static Optional<TaskClass> assignable(String label) {
    return Arrays.stream(BY_ID).filter(c -> c != NONE && c.label.equals(label)).findFirst();
  }

  /** The labels a rule may assign. */
  public static List<String> assignableLabels() {
    return Arrays.stream(BY_ID).filter(c -> c != NONE).map(TaskClass::label).toList();
  }
}
