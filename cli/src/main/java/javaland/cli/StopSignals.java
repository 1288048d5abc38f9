package javaland.cli;

import java.util.function.Consumer;
import javaland.telemetry.os.Libc;
import sun.misc.Signal;

/** SIGINT and SIGTERM, the two ways a person or a service manager asks a command to stop. */
final class StopSignals {
  private StopSignals() {}

  /**
   * Calls {@code onStop} with "SIGINT" or "SIGTERM" when one arrives, even when the process was
   * started with SIGINT ignored (a background job of a script: Ctrl-C of the terminal, or
   * {@code kill -INT}, did nothing to it before).
   */
  static void handle(Consumer<String> onStop) {
    for (String sig : new String[] {"INT", "TERM"}) {
      Libc.defaultSignal("INT".equals(sig) ? Libc.SIGINT : Libc.SIGTERM);
      Signal.handle(new Signal(sig), s -> onStop.accept("SIG" + sig));
    }
  }
}
