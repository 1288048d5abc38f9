package javaland.runtime.kernel.sim;

import java.util.Arrays;

/** A growable FIFO of ints on a ring of primitive slots: the FIFO dispatch queues. */
final class IntFifo {
  private int[] slots;
  private int head;
  private int size;

  IntFifo(int initialCapacity) {
    slots = new int[Math.max(4, Integer.highestOneBit(Math.max(4, initialCapacity) - 1) << 1)];
  }

  int size() {
    return size;
  }

  void add(int v) {
    if (size == slots.length) grow();
    slots[(head + size) & (slots.length - 1)] = v;
    size++;
  }

  /** Puts {@code v} in front of the others (SCX_ENQ_HEAD). */
  void addFirst(int v) {
    if (size == slots.length) grow();
    head = (head - 1) & (slots.length - 1);
    slots[head] = v;
    size++;
  }

  /** Removes and returns the oldest value, or -1 when empty. */
  int poll() {
    if (size == 0) return -1;
    int v = slots[head];
    head = (head + 1) & (slots.length - 1);
    size--;
    return v;
  }

  private void grow() {
    int[] bigger = new int[slots.length * 2];
    for (int i = 0; i < size; i++) bigger[i] = slots[(head + i) & (slots.length - 1)];
    slots = bigger;
    head = 0;
  }

  @Override
  public String toString() {
    int[] out = new int[size];
    for (int i = 0; i < size; i++) out[i] = slots[(head + i) & (slots.length - 1)];
    return Arrays.toString(out);
  }
}
