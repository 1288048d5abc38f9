package javaland.runtime.kernel.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javaland.telemetry.os.Libc;

/**
 * libbpf bound through FFM, no generated code. Only what javaland uses: open an object, set
 * read-only data before load, load, attach a struct_ops map, find maps and programs, read BTF.
 *
 * <p>The library is taken from {@code $JAVALAND_LIBBPF} (a path), else the copy that
 * {@code ./javaland deps} puts in the javaland cache, else the dynamic loader's {@code libbpf.so.1}. Version 1.2 or newer is required: the scheduler is a
 * {@code .struct_ops.link}, which the kernel detaches when our process dies.
 */
public final class Libbpf {
  private static final int LOG_KEEP = 400;
  private static volatile Libbpf instance;

  private final String source;
  private final int major;
  private final int minor;
  private final Deque<String> log = new ArrayDeque<>();
  private volatile boolean echoLog;
  private static final javaland.telemetry.log.Log LIBBPF_LOG = javaland.telemetry.log.Log.named("libbpf");

  final MethodHandle objectOpenFile;
  final MethodHandle objectLoad;
  final MethodHandle objectClose;
  final MethodHandle objectFindMapByName;
  final MethodHandle objectFindProgramByName;
  final MethodHandle objectBtf;
  final MethodHandle mapFd;
  final MethodHandle mapValueSize;
  final MethodHandle mapMaxEntries;
  final MethodHandle mapInitialValue;
  final MethodHandle mapSetMaxEntries;
  final MethodHandle mapAttachStructOps;
  final MethodHandle programFd;
  final MethodHandle objectNextProgram;
  final MethodHandle programName;
  final MethodHandle mapUpdateElem;
  final MethodHandle mapDeleteElem;
  final MethodHandle linkDestroy;
  final MethodHandle progTestRunOpts;
  final MethodHandle btfFindByNameKind;
  final MethodHandle btfTypeById;
  final MethodHandle btfNameByOffset;

  private Libbpf(SymbolLookup lib, String source) {
    this.source = source;
    try {
      major = (int) Native.plain(lib, "libbpf_major_version", FunctionDescriptor.of(JAVA_INT)).invokeExact();
      minor = (int) Native.plain(lib, "libbpf_minor_version", FunctionDescriptor.of(JAVA_INT)).invokeExact();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    if (major < 1 || (major == 1 && minor < 2)) {
      throw new IllegalStateException("libbpf " + major + "." + minor + " from " + source
          + " is too old: javaland needs 1.2+ (struct_ops links). Set JAVALAND_LIBBPF to a newer"
          + " libbpf.so.1 (./javaland deps fetches 1.4 from bookworm-backports).");
    }
    objectOpenFile = Native.withErrno(lib, "bpf_object__open_file", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    objectLoad = Native.plain(lib, "bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    objectClose = Native.plain(lib, "bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
    objectFindMapByName = Native.plain(lib, "bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    objectFindProgramByName = Native.plain(lib, "bpf_object__find_program_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    objectBtf = Native.plain(lib, "bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS));
    mapFd = Native.plain(lib, "bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    mapValueSize = Native.plain(lib, "bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    mapMaxEntries = Native.plain(lib, "bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    mapInitialValue = Native.plain(lib, "bpf_map__initial_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    mapSetMaxEntries = Native.plain(lib, "bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    mapAttachStructOps = Native.withErrno(lib, "bpf_map__attach_struct_ops", FunctionDescriptor.of(ADDRESS, ADDRESS));
    programFd = Native.plain(lib, "bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    objectNextProgram = Native.plain(lib, "bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    programName = Native.plain(lib, "bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    mapUpdateElem = Native.plain(lib, "bpf_map_update_elem",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, java.lang.foreign.ValueLayout.JAVA_LONG));
    mapDeleteElem = Native.plain(lib, "bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    linkDestroy = Native.plain(lib, "bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    progTestRunOpts = Native.plain(lib, "bpf_prog_test_run_opts", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    btfFindByNameKind = Native.plain(lib, "btf__find_by_name_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    btfTypeById = Native.plain(lib, "btf__type_by_id", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    btfNameByOffset = Native.plain(lib, "btf__name_by_offset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    installPrinter(lib);
  }

  /** The process-wide binding; the first call loads the library. */
  public static Libbpf get() {
    Libbpf l = instance;
    if (l == null) {
      synchronized (Libbpf.class) {
        l = instance;
        if (l == null) {
          instance = l = load();
        }
      }
    }
    return l;
  }

  private static Libbpf load() {
    String configured = System.getenv("JAVALAND_LIBBPF");
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (!Files.isReadable(p)) {
        throw new IllegalStateException("JAVALAND_LIBBPF=" + configured + " is not a readable file");
      }
      return new Libbpf(SymbolLookup.libraryLookup(p, Arena.global()), p.toString());
    }
    Path cached = javaland.runtime.config.Dirs.cache(System.getenv()).resolve("libbpf/usr/lib/x86_64-linux-gnu/libbpf.so.1");
    if (Files.isReadable(cached)) {
      return new Libbpf(SymbolLookup.libraryLookup(cached, Arena.global()), cached.toString());
    }
    try {
      return new Libbpf(SymbolLookup.libraryLookup("libbpf.so.1", Arena.global()), "libbpf.so.1");
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("libbpf.so.1 not found: install libbpf1 (1.2+) or set JAVALAND_LIBBPF", e);
    }
  }

  public String version() {
    return major + "." + minor;
  }

  public String source() {
    return source;
  }

  /** Echo libbpf's messages to stderr as they come (they are always kept for errors). */
  public void echoLog(boolean on) {
    echoLog = on;
  }

  /** The last lines libbpf printed, oldest first. */
  public List<String> recentLog(int lines) {
    synchronized (log) {
      List<String> all = new ArrayList<>(log);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    }
  }

  void clearLog() {
    synchronized (log) {
      log.clear();
    }
  }

  private void installPrinter(SymbolLookup lib) {
    try {
      MethodHandle target = MethodHandles.lookup().findVirtual(Libbpf.class, "print",
          MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
      MemorySegment stub = Native.LINKER.upcallStub(target,
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
      MethodHandle setPrint = Native.plain(lib, "libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
      MemorySegment unused = (MemorySegment) setPrint.invokeExact(stub);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** libbpf's print callback. An exception escaping an upcall kills the JVM: catch all. */
  @SuppressWarnings("unused")
  private int print(int level, MemorySegment fmt, MemorySegment args) {
    try {
      if (level > 1 && !echoLog) return 0; // LIBBPF_DEBUG only when asked for
      try (Arena a = Arena.ofConfined()) {
        MemorySegment buf = a.allocate(4096);
        int n = Libc.vsnprintf(buf, 4096L, fmt, args);
        if (n < 0) return 0;
        String text = buf.getString(0).stripTrailing();
        synchronized (log) {
          for (String line : text.split("\n")) {
            log.addLast(line);
            if (log.size() > LOG_KEEP) log.removeFirst();
          }
        }
        // asked for (run --verbose): through the logging facade, so --log-format json carries it too
        if (echoLog) LIBBPF_LOG.write(level == 0 ? javaland.telemetry.log.Log.Level.WARN : javaland.telemetry.log.Log.Level.INFO, "libbpf: " + text);
      }
    } catch (Throwable t) {
      // nothing sensible to do inside libbpf's callback; dropping one log line is harmless
    }
    return 0;
  }
}
