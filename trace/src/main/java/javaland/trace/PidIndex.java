package javaland.trace;

import java.util.Arrays;

/**
 * Pids to dense indexes (0, 1, 2, ... in order of first sight), without boxing: open addressing
 * with linear probing, so that a recorder on the simulating thread allocates nothing per event
 * (only when the table grows).
 */
final class PidIndex {
  private static final int EMPTY = Integer.MIN_VALUE;
  private int[] keys = empty(64);
  private int[] values = new int[64];
  private int size;

  private static int[] empty(int n) {
    int[] a = new int[n];
    Arrays.fill(a, EMPTY);
    return a;
  }

  private static int slot(int pid, int mask) {
    int h = pid * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }

  /** {@code pid}'s index, or -1 if it has none. */
  int indexOf(int pid) {
    int mask = keys.length - 1;
    for (int i = slot(pid, mask); ; i = (i + 1) & mask) {
      if (keys[i] == pid) return values[i];
      if (keys[i] == EMPTY) return -1;
    }
  }

  /** {@code pid}'s index, given it now if it had none. */
  int add(int pid) {
    int mask = keys.length - 1;
    int i = slot(pid, mask);
    for (; keys[i] != EMPTY; i = (i + 1) & mask) {
      if (keys[i] == pid) return values[i];
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
      return add(pid);
    }
    keys[i] = pid;
    values[i] = size;
    return size++;
  }

  /** Pids with an index. */
  int size() {
    return size;
  }

  private void grow() {
    int[] oldKeys = keys;
    int[] oldValues = values;
    keys = empty(oldKeys.length * 2);
    values = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] == EMPTY) continue;
      int i = slot(oldKeys[j], mask);
      while (keys[i] != EMPTY) i = (i + 1) & mask;
      keys[i] = oldKeys[j];
      values[i] = oldValues[j];
    }
  }
}
