package javaland.telemetry.psi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * PSI triggers against the real kernel. The ones that write a trigger need root and a kernel
 * with PSI (they are skipped, saying why, otherwise); the kernel's own answer is checked, not
 * assumed: with CAP_SYS_RESOURCE any window of 0.5..10 s, without it (root in a container often
 * lacks it) only multiples of 2 s.
 */
class PsiTriggerTest {
  private static final Path CPU = Path.of("/proc/pressure/cpu");

  private static boolean root() throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("Uid:")) return l.split("\\s+")[2].equals("0"); // effective uid
    }
    return false;
  }

  private static void assumeRootWithPsi() throws IOException {
    assumeTrue(root(), "PSI trigger tests run as root only");
    assumeTrue(Files.exists(CPU), "this kernel has no /proc/pressure");
  }

  /** A trigger that cannot be set for want of privilege skips the test with the kernel's reason. */
  private static PsiTrigger openOrSkip(Path f, PsiKind kind, Duration stall, Duration window) {
    try {
      return PsiTrigger.open(f, kind, stall, window);
    } catch (PsiTriggerException e) {
      assumeTrue(!e.notPermitted(), "PSI triggers not permitted here: " + e.getMessage());
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void cpuPressureFiresTheTrigger() throws Exception {
    assumeRootWithPsi();
    boolean cap = PsiTrigger.hasCapSysResource();
    Duration window = cap ? Duration.ofMillis(500) : Duration.ofSeconds(2);
    System.out.println("CAP_SYS_RESOURCE: " + cap + ", window " + window.toMillis() + " ms");
    try (PsiTrigger t = openOrSkip(CPU, PsiKind.SOME, Duration.ofMillis(5), window)) {
      assertEquals("some 5000 " + window.toNanos() / 1000, t.spec());
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> spinners = new ArrayList<>();
      int n = Runtime.getRuntime().availableProcessors() * 4;
      for (int i = 0; i < n; i++) { // more runnable threads than CPUs: they wait for each other
        Thread th = Thread.ofPlatform().daemon(true).start(() -> {
          long x = 0;
          while (!stop.get()) x += System.nanoTime() & 1;
          if (x == 42) System.out.print("");
        });
        spinners.add(th);
      }
      long t0 = System.nanoTime();
      boolean fired;
      try {
        fired = t.await(Duration.ofSeconds(15));
      } finally {
        stop.set(true);
        for (Thread th : spinners) th.join();
      }
      System.out.printf("trigger %s fired=%s after %d ms with %d spinning threads%n", t.spec(), fired,
          (System.nanoTime() - t0) / 1_000_000, n);
      assertTrue(fired, "no POLLPRI within 15 s under " + n + " spinning threads");
      assertEquals(1, t.events());
    }
  }

  @Test
  void closeWakesAWaiter() throws Exception {
    assumeRootWithPsi();
    // a stall of the whole window on cpu/full never happens at system level
    PsiTrigger t = openOrSkip(CPU, PsiKind.SOME, Duration.ofSeconds(2), Duration.ofSeconds(2));
    CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        return t.await(Duration.ofSeconds(60));
      } catch (PsiTriggerException e) {
        throw new RuntimeException(e);
      }
    }, r -> Thread.ofPlatform().start(r));
    Thread.sleep(200);
    long t0 = System.nanoTime();
    t.close();
    assertFalse(waiter.get(5, TimeUnit.SECONDS));
    assertTrue((System.nanoTime() - t0) < 2_000_000_000L);
    assertTrue(t.isClosed());
    assertFalse(t.await(Duration.ofSeconds(10)), "closed: returns at once");
    t.close(); // idempotent
  }

  @Test
  void kernelRefusalIsExplained() throws Exception {
    assumeRootWithPsi();
    PsiTriggerException zero = assertThrows(PsiTriggerException.class, () -> PsiTrigger.open(CPU, "some 0 2000000"));
    assertEquals(22, zero.errno());
    assertTrue(zero.getMessage().contains("refused PSI trigger 'some 0 2000000' on /proc/pressure/cpu"), zero.getMessage());
    PsiTriggerException bogus = assertThrows(PsiTriggerException.class, () -> PsiTrigger.open(CPU, "sometimes 1 2"));
    assertEquals(22, bogus.errno());
    if (!PsiTrigger.hasCapSysResource()) {
      // the kernel's own rule for unprivileged triggers, checked through the raw spec
      PsiTriggerException odd = assertThrows(PsiTriggerException.class, () -> PsiTrigger.open(CPU, "some 100000 1000000"));
      assertEquals(22, odd.errno());
      assertTrue(odd.getMessage().contains("multiple of 2000000"), odd.getMessage());
      // and the typed API says so before asking
      PsiTriggerException typed = assertThrows(PsiTriggerException.class,
          () -> PsiTrigger.open(CPU, PsiKind.SOME, Duration.ofMillis(100), Duration.ofSeconds(1)));
      assertTrue(typed.notPermitted());
      assertTrue(typed.getMessage().contains("CAP_SYS_RESOURCE"), typed.getMessage());
      System.out.println("no CAP_SYS_RESOURCE: " + typed.getMessage());
    }
  }

  @Test
  void cgroupTrigger() throws Exception {
    assumeRootWithPsi();
    Path f = PsiReader.ownCgroup(m -> {}).map(r -> r.file(PsiResource.CPU)).orElse(null);
    assumeTrue(f != null && Files.exists(f), "no cgroup v2 cpu.pressure for this process");
    try (PsiTrigger t = openOrSkip(f, PsiKind.SOME, Duration.ofMillis(100), Duration.ofSeconds(2))) {
      t.await(Duration.ofMillis(50)); // polls a cgroup file: fires or times out, never fails
      System.out.println("cgroup trigger set on " + f + ": " + t.spec());
    }
  }

  @Test
  void argumentsAreCheckedBeforeTheKernelIsAsked() {
    PsiTriggerException w = assertThrows(PsiTriggerException.class,
        () -> PsiTrigger.open(CPU, PsiKind.SOME, Duration.ofMillis(10), Duration.ofMillis(100)));
    assertTrue(w.getMessage().contains("500 ms to 10 s"), w.getMessage());
    PsiTriggerException s = assertThrows(PsiTriggerException.class,
        () -> PsiTrigger.open(CPU, PsiKind.FULL, Duration.ofSeconds(3), Duration.ofSeconds(2)));
    assertTrue(s.getMessage().contains("at most the window"), s.getMessage());
  }

  @Test
  void missingFileIsExplained() {
    PsiTriggerException e = assertThrows(PsiTriggerException.class,
        () -> PsiTrigger.open(Path.of("/proc/pressure/no-such-resource"), "some 100000 2000000"));
    assertEquals(2, e.errno());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  /** As nobody: /proc/pressure is world-writable (6.5+), a cgroup's files are not. */
  @Test
  void unprivilegedUser() throws Exception {
    assumeRootWithPsi();
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is needed to drop to nobody");
    Path classes = Path.of("target/classes").toAbsolutePath();
    Path testClasses = Path.of("target/test-classes").toAbsolutePath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String twoSeconds = probe(java, classes, testClasses, CPU, "some 100000 2000000");
    String oneSecond = probe(java, classes, testClasses, CPU, "some 100000 1000000");
    System.out.println("as nobody, 2 s window: " + twoSeconds);
    System.out.println("as nobody, 1 s window: " + oneSecond);
    assumeTrue(!twoSeconds.contains("could not"), "the child JVM could not run as nobody: " + twoSeconds);
    assertTrue(twoSeconds.startsWith("OK "), twoSeconds);
    assertTrue(oneSecond.startsWith("ERR errno=22"), oneSecond);
    Path cg = PsiReader.ownCgroup(m -> {}).map(r -> r.file(PsiResource.CPU)).orElse(null);
    if (cg != null && Files.exists(cg)) {
      String cgroup = probe(java, classes, testClasses, cg, "some 100000 2000000");
      System.out.println("as nobody, " + cg + ": " + cgroup);
      assertTrue(cgroup.startsWith("ERR") && cgroup.contains("notPermitted=true") && cgroup.contains("not permitted"), cgroup);
    }
  }

  private static String probe(String java, Path classes, Path testClasses, Path file, String spec) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
        java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-cp", classes + ":" + testClasses,
        PsiTriggerProbe.class.getName(), file.toString(), spec).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "could not finish: " + out;
    }
    if (!out.startsWith("OK") && !out.startsWith("ERR")) return "could not run (exit " + p.exitValue() + "): " + out;
    return out;
  }
}
