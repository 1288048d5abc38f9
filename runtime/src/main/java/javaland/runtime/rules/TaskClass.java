package javaland.runtime.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javaland.runtime.kernel.TaskBatch;

/** What a rule says a task is; policies order and slice by it (see docs/rules.md). */
public enum TaskClass {
  LATENCY_CRITICAL("latency-critical", TaskBatch.CLASS_LATENCY_CRITICAL),
  INTERACTIVE("interactive", TaskBatch.CLASS_INTERACTIVE),
  BATCH("batch", TaskBatch.CLASS_BATCH),
  BACKGROUND("background", TaskBatch.CLASS_BACKGROUND);

  private final String yamlName;
  private final byte id;

  TaskClass(String yamlName, byte id) {
    this.yamlName = yamlName;
    this.id = id;
  }

  /** As written in the rules file. */
  public String yamlName() {
    return yamlName;
  }

  /** The {@code TaskBatch.CLASS_*} constant. */
  public byte id() {
    return id;
  }

  public static Optional<TaskClass> byName(String name) {
    return Arrays.stream(values()).filter(c -> c.yamlName.equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(TaskClass::yamlName).toList();
  }
}
