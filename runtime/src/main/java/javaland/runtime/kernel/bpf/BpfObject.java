package javaland.runtime.kernel.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javaland.telemetry.os.Libc;

/**
 * One opened BPF object file: set {@code .rodata} before {@link #load()}, then find maps,
 * attach the struct_ops map, map live sections. Closing it detaches and frees everything.
 */
public final class BpfObject implements AutoCloseable {
  private final Libbpf lib;
  private final Path path;
  private final Arena arena = Arena.ofShared();
  private MemorySegment obj;
  private boolean loaded;

  private BpfObject(Libbpf lib, Path path, MemorySegment obj) {
    this.lib = lib;
    this.path = path;
    this.obj = obj;
  }

  public static BpfObject open(Libbpf lib, Path path) {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException("BPF object " + path + " is not a readable file");
    }
    lib.clearLog();
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment errno = Libc.errnoSlot(tmp);
      MemorySegment obj = (MemorySegment) lib.objectOpenFile.invokeExact(
          errno, tmp.allocateFrom(path.toString()), MemorySegment.NULL);
      if (obj.address() == 0) {
        int e = Libc.errno(errno);
        throw new BpfException("bpf_object__open_file(" + path + ")", -e, Libc.strerror(e), lib.recentLog(40));
      }
      return new BpfObject(lib, path, obj);
    } catch (BpfException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public Path path() {
    return path;
  }

  /** Writes a 32-bit {@code const volatile} global; only before {@link #load()}. */
  public void setRodataInt(String var, int value) {
    if (loaded) throw new IllegalStateException(".rodata is frozen once " + path + " is loaded");
    MemorySegment map = mapHandle(".rodata");
    Btf.Member v = btf().dataSecVar(".rodata", var);
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment sizeOut = tmp.allocate(ValueLayout.JAVA_LONG);
      MemorySegment data = (MemorySegment) lib.mapInitialValue.invokeExact(map, sizeOut);
      long size = sizeOut.get(ValueLayout.JAVA_LONG, 0);
      if (data.address() == 0 || v.offset() + 4 > size) {
        throw new IllegalStateException("cannot write .rodata variable " + var + " of " + path);
      }
      data.reinterpret(size).set(ValueLayout.JAVA_INT, v.offset(), value);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /**
   * The initial value of global {@code var} in {@code section} ({@code .data}, {@code .bss}), as
   * the object will load it: writable only before {@link #load()}. Checked against the size Java
   * expects, like {@link LiveSection#variable}.
   */
  public MemorySegment initialVariable(String section, String var, long expectedSize) {
    if (loaded) throw new IllegalStateException(section + " can only be set before " + path + " is loaded");
    MemorySegment map = mapHandle(section);
    Btf.Member v = btf().dataSecVar(section, var);
    if (v.size() != expectedSize) {
      throw new IllegalStateException("BPF global " + var + " in " + section + " is " + v.size()
          + " bytes, Java expects " + expectedSize + ": bpf/intf.h and Wire.java drifted");
    }
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment sizeOut = tmp.allocate(ValueLayout.JAVA_LONG);
      MemorySegment data = (MemorySegment) lib.mapInitialValue.invokeExact(map, sizeOut);
      long size = sizeOut.get(ValueLayout.JAVA_LONG, 0);
      if (data.address() == 0 || v.offset() + v.size() > size) {
        throw new IllegalStateException("cannot write " + section + " variable " + var + " of " + path);
      }
      return data.reinterpret(size).asSlice(v.offset(), v.size());
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Loads every program and map into the kernel; the verifier's complaints end up in the exception. */
  public void load() {
    lib.clearLog();
    int rc;
    try {
      rc = (int) lib.objectLoad.invokeExact(obj);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    if (rc < 0) {
      throw new BpfException("bpf_object__load(" + path + ")", rc, Libc.strerror(-rc), lib.recentLog(60));
    }
    loaded = true;
  }

  /** Registers a struct_ops map (the scheduler) with the kernel through a BPF link. */
  public BpfLink attachStructOps(String mapName) {
    requireLoaded();
    MemorySegment map = mapHandle(mapName);
    lib.clearLog();
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment errno = Libc.errnoSlot(tmp);
      MemorySegment link = (MemorySegment) lib.mapAttachStructOps.invokeExact(errno, map);
      if (link.address() == 0) {
        int e = Libc.errno(errno);
        throw new BpfException("attaching struct_ops " + mapName, -e, Libc.strerror(e), lib.recentLog(40));
      }
      return new BpfLink(lib, link);
    } catch (BpfException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public int mapFd(String name) {
    requireLoaded();
    try {
      return (int) lib.mapFd.invokeExact(mapHandle(name));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Resizes a map (for a ring buffer: its data bytes, a power-of-two multiple of the page); only before {@link #load()}. */
  public void setMapMaxEntries(String name, int entries) {
    if (loaded) throw new IllegalStateException("map " + name + " of " + path + " cannot be resized once loaded");
    int rc;
    try {
      rc = (int) lib.mapSetMaxEntries.invokeExact(mapHandle(name), entries);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    if (rc < 0) throw new BpfException("bpf_map__set_max_entries(" + name + ", " + entries + ")", rc, Libc.strerror(-rc));
  }

  public int mapMaxEntries(String name) {
    try {
      return (int) lib.mapMaxEntries.invokeExact(mapHandle(name));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public int mapValueSize(String name) {
    try {
      return (int) lib.mapValueSize.invokeExact(mapHandle(name));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public int programFd(String name) {
    requireLoaded();
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment prog = (MemorySegment) lib.objectFindProgramByName.invokeExact(obj, tmp.allocateFrom(name));
      if (prog.address() == 0) throw new IllegalArgumentException("no program " + name + " in " + path);
      return (int) lib.programFd.invokeExact(prog);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Every program of the loaded object by name, with its file descriptor, in the object's order. */
  public Map<String, Integer> programFds() {
    requireLoaded();
    Map<String, Integer> fds = new LinkedHashMap<>();
    try {
      MemorySegment prog = (MemorySegment) lib.objectNextProgram.invokeExact(obj, MemorySegment.NULL);
      while (prog.address() != 0) {
        MemorySegment name = (MemorySegment) lib.programName.invokeExact(prog);
        fds.put(name.reinterpret(256).getString(0), (int) lib.programFd.invokeExact(prog));
        prog = (MemorySegment) lib.objectNextProgram.invokeExact(obj, prog);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return fds;
  }

  /**
   * Maps a global-data section ({@code .bss}, {@code .data}) shared with the kernel: reads see
   * what BPF writes now, writes are seen by BPF at once. libbpf's own copy is stale before 1.5.
   */
  public LiveSection liveSection(String section) {
    requireLoaded();
    int size = mapValueSize(section);
    long pages = (size + 4095L) & ~4095L;
    MemorySegment mem = Syscalls.mmap(arena, mapFd(section), pages, Libc.PROT_READ | Libc.PROT_WRITE, 0, section);
    return new LiveSection(section, mem.asSlice(0, size), btf());
  }

  /** Mmaps a ring buffer map for reading (kernel to user space). */
  public RingBufferReader ringBufferReader(String name) {
    requireLoaded();
    return RingBufferReader.mapped(arena, mapFd(name), mapMaxEntries(name), name);
  }

  /** Mmaps a user ring buffer map for writing (user space to kernel). */
  public UserRingBufferWriter userRingBufferWriter(String name) {
    requireLoaded();
    return UserRingBufferWriter.mapped(arena, mapFd(name), mapMaxEntries(name), name);
  }

  /** Runs a {@code SEC("syscall")} program once with {@code ctx} as its context; returns its retval. */
  public int testRun(String program, MemorySegment ctx) {
    int fd = programFd(program);
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment opts = tmp.allocate(80);
      opts.set(ValueLayout.JAVA_LONG, 0, 80);
      opts.set(ValueLayout.ADDRESS, 32, ctx);
      opts.set(ValueLayout.JAVA_INT, 48, (int) ctx.byteSize());
      int rc = (int) lib.progTestRunOpts.invokeExact(fd, opts);
      if (rc < 0) throw new BpfException("bpf_prog_test_run_opts(" + program + ")", rc, Libc.strerror(-rc));
      return opts.get(ValueLayout.JAVA_INT, 56);
    } catch (BpfException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public Btf btf() {
    try {
      MemorySegment btf = (MemorySegment) lib.objectBtf.invokeExact(obj);
      if (btf.address() == 0) throw new IllegalStateException(path + " carries no BTF (built without -g?)");
      return new Btf(lib, btf);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private MemorySegment mapHandle(String name) {
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment map = (MemorySegment) lib.objectFindMapByName.invokeExact(obj, tmp.allocateFrom(name));
      if (map.address() == 0) throw new IllegalArgumentException("no map " + name + " in " + path);
      return map;
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private void requireLoaded() {
    if (!loaded) throw new IllegalStateException(path + " is not loaded yet");
  }

  @Override
  public void close() {
    if (obj == null) return;
    arena.close();
    try {
      lib.objectClose.invokeExact(obj);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    obj = null;
  }
}
