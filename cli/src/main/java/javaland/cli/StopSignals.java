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
    handle("INT", Libc.SIGINT, onStop);
    handle("TERM", Libc.SIGTERM, onStop);
  }

  private static void handle(String name, int number, Consumer<String> onStop) {
    Libc.defaultSignal(number);
    Signal.handle(new Signal(name), s -> onStop.accept("SIG" + name));
  }
}
