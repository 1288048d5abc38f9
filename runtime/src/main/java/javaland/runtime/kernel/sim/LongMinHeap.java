package javaland.runtime.kernel.sim;

import java.util.Arrays;

/**
 * A binary min-heap of {@code (key, value)} pairs on primitive arrays: lowest key first, equal
 * keys in insertion order. The event queue (key = virtual time) and the deadline-ordered
 * dispatch queues (key = deadline) both use it; once grown it allocates nothing, which is what
 * keeps the event loop free of garbage.
 */
final class LongMinHeap {
  private long[] keys;
  private long[] orders;
  private long[] values;
  private int size;
  private long nextOrder;

  LongMinHeap(int initialCapacity) {
    int cap = Math.max(4, initialCapacity);
    keys = new long[cap];
    orders = new long[cap];
    values = new long[cap];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The lowest key, or {@link Long#MAX_VALUE} when empty. */
  long peekKey() {
    return size == 0 ? Long.MAX_VALUE : keys[0];
  }

  long peekValue() {
    if (size == 0) throw new IllegalStateException("empty heap");
    return values[0];
  }

  void push(long key, long value) {
    if (size == keys.length) grow();
    long order = nextOrder++;
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(key, order, keys[parent], orders[parent])) break;
      keys[i] = keys[parent];
      orders[i] = orders[parent];
      values[i] = values[parent];
      i = parent;
    }
    keys[i] = key;
    orders[i] = order;
    values[i] = value;
  }

  /** Removes the lowest entry and returns its value. */
  long pop() {
    if (size == 0) throw new IllegalStateException("empty heap");
    long top = values[0];
    int last = --size;
    if (last > 0) siftDown(keys[last], orders[last], values[last], last);
    return top;
  }

  private void siftDown(long key, long order, long value, int n) {
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) break;
      int right = child + 1;
      if (right < n && less(keys[right], orders[right], keys[child], orders[child])) child = right;
      if (!less(keys[child], orders[child], key, order)) break;
      keys[i] = keys[child];
      orders[i] = orders[child];
      values[i] = values[child];
      i = child;
    }
    keys[i] = key;
    orders[i] = order;
    values[i] = value;
  }

  private static boolean less(long k1, long o1, long k2, long o2) {
    return k1 < k2 || (k1 == k2 && o1 < o2);
  }

  private void grow() {
    int cap = keys.length * 2;
    keys = Arrays.copyOf(keys, cap);
    orders = Arrays.copyOf(orders, cap);
    values = Arrays.copyOf(values, cap);
  }
}
