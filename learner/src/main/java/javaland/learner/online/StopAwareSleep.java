package javaland.learner.online;

import java.util.function.BooleanSupplier;

/** The learner's waits between windows and between retries, cut short (within 200 ms) when it is asked to stop. */
final class StopAwareSleep {
  private StopAwareSleep() {}

  static void sleep(long nanos, BooleanSupplier stop) throws InterruptedException {
    long until = System.nanoTime() + nanos;
    while (!stop.getAsBoolean()) {
      long left = until - System.nanoTime();
      if (left <= 0) return;
      Thread.sleep(Math.min(200, Math.max(1, left / 1_000_000)));
    }
  }
}
