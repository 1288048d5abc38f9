package javaland.runtime.kernel.bpf;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Shared plumbing for the libbpf binding: symbol lookup and downcalls. The C library's calls and
 * the errno slot they fill are javaland.telemetry.os.Libc's.
 */
final class Native {
  static final Linker LINKER = Linker.nativeLinker();

  private Native() {}

  /** A downcall whose first argument is the errno capture segment ({@code Libc.errnoSlot}). */
  static MethodHandle withErrno(SymbolLookup lib, String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(
        find(lib, name), fd, Linker.Option.captureCallState("errno"));
  }

  static MethodHandle plain(SymbolLookup lib, String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(find(lib, name), fd);
  }

  private static MemorySegment find(SymbolLookup lib, String name) {
    return lib.find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("symbol not found: " + name));
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
