package testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One process with many threads, for the faults scenario (guest/faults.sh): {@code N} platform
 * threads that each sleep 1-16 ms and wake again, for {@code S} seconds, as stress-ng --sleep's
 * threads do, all of them started before the first sleeps. stress-ng 0.15's sleep worker did not
 * keep its threads here: its process ended after a second or two, having reached 28 threads under
 * TCG. Prints how many threads were alive at once and how many wakeups they had; exit 1 when a
 * thread could not be started.
 * Usage: {@code java -cp misbehaving-policy.jar testbed.ManyThreads N S}.
 */
public final class ManyThreads {
  private ManyThreads() {}

  public static void main(String[] args) throws InterruptedException {
    int n = Integer.parseInt(args[0]);
    long seconds = Long.parseLong(args[1]);
    long[] until = new long[1];
    long[] wakeups = new long[n];
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>(n);
    int failed = 0;
    for (int i = 0; i < n; i++) {
      int me = i;
      try {
        threads.add(Thread.ofPlatform().name("sleeper-" + i).stackSize(64 * 1024).start(() -> {
          ThreadLocalRandom r = ThreadLocalRandom.current();
          try {
            go.await();
            while (System.nanoTime() < until[0]) {
              Thread.sleep(1 + r.nextInt(16));
              wakeups[me]++;
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      } catch (OutOfMemoryError | RuntimeException e) {
        failed++;
      }
    }
    long alive = threads.stream().filter(Thread::isAlive).count();
    until[0] = System.nanoTime() + seconds * 1_000_000_000L;
    go.countDown(); // the latch orders the write of until[0] before every thread's read
    System.out.println("ManyThreads: started " + threads.size() + " of " + n + ", alive at once " + alive);
    for (Thread t : threads) t.join();
    long total = 0;
    for (long w : wakeups) total += w;
    System.out.println("ManyThreads: " + total + " wakeups, " + failed + " threads not started");
    System.exit(failed == 0 ? 0 : 1);
  }
}
