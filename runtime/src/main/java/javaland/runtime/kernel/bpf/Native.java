package javaland.runtime.kernel.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/** Shared plumbing for the FFM bindings: symbol lookup and errno capture. */
final class Native {
  static final Linker LINKER = Linker.nativeLinker();
  static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private Native() {}

  /** A downcall whose first argument is the errno capture segment. */
  static MethodHandle withErrno(SymbolLookup lib, String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(
        find(lib, name), fd, Linker.Option.captureCallState("errno"));
  }

  static MethodHandle plain(SymbolLookup lib, String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(find(lib, name), fd);
  }

  /** A downcall that may be made from the dispatch thread's hot path. */
  static MethodHandle critical(SymbolLookup lib, String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(find(lib, name), fd, Linker.Option.critical(false));
  }

  private static MemorySegment find(SymbolLookup lib, String name) {
    return lib.find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("symbol not found: " + name));
  }

  static MemorySegment newErrnoSlot(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  static int errno(MemorySegment slot) {
    return (int) ERRNO.get(slot, 0L);
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
