package javaland.telemetry.psi;

import java.nio.file.Path;
import java.time.Duration;

/** Run in a child JVM (as another user) by {@link PsiTriggerTest}: tries one trigger, prints the outcome. */
public final class PsiTriggerProbe {
  private PsiTriggerProbe() {}

  public static void main(String[] args) {
    try (PsiTrigger t = PsiTrigger.open(Path.of(args[0]), args[1])) {
      System.out.println("OK " + t.spec() + " await=" + t.await(Duration.ofMillis(10)));
    } catch (PsiTriggerException e) {
      System.out.println("ERR errno=" + e.errno() + " notPermitted=" + e.notPermitted() + " " + e.getMessage());
    }
  }
}
