package javaland.runtime.kernel.sim;

import javaland.sdk.TaskClass;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import javaland.runtime.kernel.TaskBatch;
import javaland.runtime.kernel.TaskClassSink;

/**
 * The simulated task_classes map: written by the classifier's thread, read by the machine on
 * the dispatch thread, element by element as BPF reads its hash map (no lock, no allocation).
 * Simulated pids are never reused, so the start time is not checked.
 */
final class SimClassTable implements TaskClassSink {
  private final AtomicIntegerArray cls;
  private final AtomicLongArray sliceMin;
  private final AtomicLongArray sliceMax;

  SimClassTable(int tasks) {
    cls = new AtomicIntegerArray(tasks);
    sliceMin = new AtomicLongArray(tasks);
    sliceMax = new AtomicLongArray(tasks);
  }

  @Override
  public boolean put(int pid, long startTicks, byte taskClass, long sliceMinNs, long sliceMaxNs) {
    int t = pid - SimKernel.PID_BASE;
    if (t < 0 || t >= cls.length()) return false;
    sliceMin.set(t, sliceMinNs);
    sliceMax.set(t, sliceMaxNs);
    cls.set(t, taskClass);
    return true;
  }

  @Override
  public void remove(int pid) {
    int t = pid - SimKernel.PID_BASE;
    if (t >= 0 && t < cls.length()) cls.set(t, TaskClass.NONE.id());
  }

  byte taskClass(int t) {
    return (byte) cls.get(t);
  }

  /** class_slice: {@code base} within the task's slice bounds, if it has a class with any. */
  long slice(int t, long base) {
    if (cls.get(t) == TaskClass.NONE.id()) return base;
    long min = sliceMin.get(t);
    long max = sliceMax.get(t);
    if (min != 0 && base < min) base = min;
    if (max != 0 && base > max) base = max;
    return base;
  }
}
