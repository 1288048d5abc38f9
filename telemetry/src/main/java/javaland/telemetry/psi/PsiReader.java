package javaland.telemetry.psi;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads the pressure files of one scope: the whole system ({@code /proc/pressure/<resource>})
 * or one cgroup v2 directory ({@code <dir>/<resource>.pressure}). Thread-safe.
 *
 * <p>A file that is missing or cannot be read (a kernel without PSI or without irq accounting,
 * PSI disabled for the cgroup, the cgroup gone) is not an error: the resource is left out of
 * the snapshot, listed in {@link PsiSnapshot#unavailable()} and {@link #unavailable()}, and
 * reported to the warning callback once per resource for the life of the reader. A file that
 * is there but malformed is an error ({@link PsiFormatException}).
 */
public final class PsiReader {
  /** Where the kernel puts the system-wide files. */
  public static final Path PROC_PRESSURE = Path.of("/proc/pressure");

  private final String scope;
  private final Function<PsiResource, Path> fileOf;
  private final Consumer<String> warnings;
  private final Set<PsiResource> warned = ConcurrentHashMap.newKeySet();
  private final Map<PsiResource, String> unavailable = new ConcurrentHashMap<>();

  private PsiReader(String scope, Function<PsiResource, Path> fileOf, Consumer<String> warnings) {
    this.scope = scope;
    this.fileOf = fileOf;
    this.warnings = warnings;
  }

  /**
   * The process's warnings about /proc/pressure, to the log: once per process, not once per
   * reader (the scheduler and its metrics each read the system files and said it twice).
   */
  private static final Consumer<String> SYSTEM_WARNINGS = once(PsiReader::stderr);

  /** The system-wide files in {@code /proc/pressure}; warnings go to the log, each once per process. */
  public static PsiReader system() {
    return system(PROC_PRESSURE, SYSTEM_WARNINGS);
  }

  /** {@code sink}, passed each distinct message once. */
  static Consumer<String> once(Consumer<String> sink) {
    Set<String> said = ConcurrentHashMap.newKeySet();
    return m -> {
      if (said.add(m)) sink.accept(m);
    };
  }

  /** The system-wide files in {@code dir} (a copy of {@code /proc/pressure} in tests). */
  public static PsiReader system(Path dir, Consumer<String> warnings) {
    return new PsiReader("system", r -> r.systemFile(dir), warnings);
  }

  /**
   * The files of the cgroup v2 directory {@code dir}; {@code scope} names it in metrics (its
   * path below the cgroup root, e.g. "/system.slice/javaland.service").
   */
  public static PsiReader cgroup(String scope, Path dir, Consumer<String> warnings) {
    return new PsiReader(scope, r -> r.cgroupFile(dir), warnings);
  }

  /**
   * The cgroup v2 group this process runs in, found through {@code /proc/self/cgroup} and the
   * cgroup2 mount in {@code /proc/self/mountinfo}. Empty on a cgroup v1-only system or when the
   * group cannot be located (a note goes to {@code warnings}).
   */
  public static Optional<PsiReader> ownCgroup(Consumer<String> warnings) {
    try {
      Optional<CgroupPath> p = CgroupPath.ofSelf(Path.of("/proc/self/cgroup"), Path.of("/proc/self/mountinfo"));
      if (p.isEmpty()) {
        warnings.accept("PSI: this process is in no cgroup v2 group (cgroup v1 only?); cgroup pressure is not reported");
        return Optional.empty();
      }
      return Optional.of(cgroup(p.get().path(), p.get().dir(), warnings));
    } catch (IOException e) {
      warnings.accept("PSI: cannot locate this process's cgroup: " + e);
      return Optional.empty();
    }
  }

  public String scope() {
    return scope;
  }

  /** The file read for {@code r}. */
  public Path file(PsiResource r) {
    return fileOf.apply(r);
  }

  /** Reads every resource's file. Throws {@link PsiFormatException} if one is malformed. */
  public PsiSnapshot read() {
    return read(EnumSet.allOf(PsiResource.class));
  }

  /** Reads the given resources' files. */
  public PsiSnapshot read(Set<PsiResource> resources) {
    Map<PsiResource, PsiRecord> records = new EnumMap<>(PsiResource.class);
    Set<PsiResource> missing = EnumSet.noneOf(PsiResource.class);
    long now = System.nanoTime();
    for (PsiResource r : resources) {
      Path f = file(r);
      // a file known missing is looked for with a stat, not by an exception (the canary reads every window)
      if (unavailable.containsKey(r) && !Files.exists(f)) {
        missing.add(r);
        continue;
      }
      String text;
      try {
        text = Files.readString(f);
      } catch (NoSuchFileException e) {
        markUnavailable(r, f + " does not exist" + (r == PsiResource.IRQ
            ? " (irq pressure needs Linux 6.1+ with CONFIG_IRQ_TIME_ACCOUNTING)" : " (a kernel without PSI, or psi=0?)"));
        missing.add(r);
        continue;
      } catch (AccessDeniedException e) {
        markUnavailable(r, f + " cannot be read: permission denied");
        missing.add(r);
        continue;
      } catch (IOException e) {
        // EOPNOTSUPP when PSI is disabled (psi=0, or cgroup.pressure set to 0 for the group)
        markUnavailable(r, f + " cannot be read: " + e.getMessage());
        missing.add(r);
        continue;
      }
      records.put(r, PsiParser.parse(r, f, text));
      unavailable.remove(r);
    }
    return new PsiSnapshot(scope, now, records, missing);
  }

  /** The resources whose file could not be read at the last attempt, with why. */
  public Map<PsiResource, String> unavailable() {
    Map<PsiResource, String> m = new EnumMap<>(PsiResource.class);
    m.putAll(unavailable);
    return Collections.unmodifiableMap(m);
  }

  private void markUnavailable(PsiResource r, String why) {
    unavailable.put(r, why);
    if (warned.add(r)) {
      warnings.accept("PSI " + r.label() + " (" + scope + ") unavailable: " + why + "; its pressure is not reported");
    }
  }

  private static void stderr(String message) {
    javaland.telemetry.log.Log.named("psi").warn(message);
  }

  /** A cgroup v2 group: its path below the hierarchy's root and its directory. */
  record CgroupPath(String path, Path dir) {
    static Optional<CgroupPath> ofSelf(Path procSelfCgroup, Path mountinfo) throws IOException {
      String own = null;
      for (String line : Files.readAllLines(procSelfCgroup)) {
        if (line.startsWith("0::")) own = line.substring(3);
      }
      if (own == null) return Optional.empty();
      return locate(own, Files.readAllLines(mountinfo));
    }

    /** Finds {@code own} (a path from /proc/self/cgroup) under the cgroup2 mount listed in mountinfo. */
    static Optional<CgroupPath> locate(String own, List<String> mountinfo) {
      for (String line : mountinfo) {
        int dash = line.indexOf(" - ");
        if (dash < 0) continue;
        String[] after = line.substring(dash + 3).split(" ");
        if (after.length < 1 || !after[0].equals("cgroup2")) continue;
        String[] f = line.substring(0, dash).split(" ");
        if (f.length < 5) continue;
        String root = unescape(f[3]);
        Path mountPoint = Path.of(unescape(f[4]));
        String rel;
        if (root.equals("/")) {
          rel = own;
        } else if (own.equals(root) || own.startsWith(root + "/")) {
          rel = own.substring(root.length());
        } else {
          continue;
        }
        String relative = rel.startsWith("/") ? rel.substring(1) : rel;
        return Optional.of(new CgroupPath(own, relative.isEmpty() ? mountPoint : mountPoint.resolve(relative)));
      }
      return Optional.empty();
    }

    private static String unescape(String s) {
      if (s.indexOf('\\') < 0) return s;
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 3 < s.length()) {
          String oct = s.substring(i + 1, i + 4);
          if (oct.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
            b.append((char) Integer.parseInt(oct, 8));
            i += 3;
            continue;
          }
        }
        b.append(c);
      }
      return b.toString();
    }
  }
}
