package javaland.models.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The policy and model registry on disk. Layout of the directory:
 *
 * <pre>
 * versions/000007.json        one PolicyVersion per file, immutable, numbered from 1, never reused
 * lkg/POLICY/000007.json      "version 7 is last-known-good for POLICY" (who, why); the newest
 *                             intact pointer to an intact version wins
 * artifacts/000003.bin/.json  model bytes and their metadata (name, SHA-256, provenance, lineage)
 * audit.jsonl                 one JSON line per change (see {@link AuditLog})
 * registry.lock               taken while writing, so the runtime and the learner can share it
 * </pre>
 *
 * <p>Every file but the audit log is a {@link SealedFile}: written atomically with its length and
 * SHA-256 in a header. A file that is truncated, altered or left half-written by a killed writer
 * is skipped and reported ({@link #problems()}, and once to the warnings consumer) with what is
 * wrong; the newest intact version is still served. Reads rescan the directory, so two processes
 * see each other's writes.
 */
public final class Registry {
  private static final Pattern NUMBERED = Pattern.compile("(\\d{6,})\\.(json|bin)");
  private static final Pattern POLICY = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path dir;
  private final Path versions;
  private final Path lkg;
  private final Path artifacts;
  private final AuditLog audit;
  private final Consumer<String> warnings;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private Registry(Path dir, Consumer<String> warnings) {
    this.dir = dir;
    this.versions = dir.resolve("versions");
    this.lkg = dir.resolve("lkg");
    this.artifacts = dir.resolve("artifacts");
    this.warnings = warnings;
    this.audit = new AuditLog(dir.resolve("audit.jsonl"), this::warnOnce, this);
  }

  /**
   * Opens (creating it if needed) the registry in {@code dir}. Problems found in existing files
   * go to {@code warnings}, once each. Throws {@link UncheckedIOException} naming the directory
   * if it cannot be created or written.
   */
  public static Registry open(Path dir, Consumer<String> warnings) {
    Path abs = dir.toAbsolutePath().normalize();
    try {
      for (String sub : List.of("versions", "lkg", "artifacts")) Files.createDirectories(abs.resolve(sub));
      if (!Files.isWritable(abs)) throw new IOException("not writable");
    } catch (IOException e) {
      throw new UncheckedIOException("registry directory " + abs + " cannot be used: " + e.getMessage(), e);
    }
    Registry r = new Registry(abs, warnings);
    r.problems().forEach(p -> r.warnOnce(p.toString()));
    return r;
  }

  public Path directory() {
    return dir;
  }

  public AuditLog audit() {
    return audit;
  }

  // ------------------------------------------------------------------ versions

  /** Records a new version of {@code policy}'s parameters; its number is one above any ever used. */
  public PolicyVersion record(String policy, Map<String, Double> values, Provenance provenance) {
    checkPolicy(policy);
    return locked(() -> {
      PolicyVersion v = new PolicyVersion(highestUsed() + 1, policy, values, provenance);
      SealedFile.write(versions.resolve(name(v.version(), "json")), RegistryCodec.bytes(v));
      return v;
    });
  }

  /** Every intact version, oldest first. */
  public List<PolicyVersion> history() {
    List<PolicyVersion> out = new ArrayList<>();
    for (Path f : numberedFiles(versions, "json")) {
      readVersion(f).ifPresent(out::add);
    }
    return out;
  }

  /** Every intact version of {@code policy}, oldest first. */
  public List<PolicyVersion> history(String policy) {
    return history().stream().filter(v -> v.policy().equals(policy)).toList();
  }

  /** Version {@code n} if its file is intact. */
  public Optional<PolicyVersion> version(long n) {
    Path f = versions.resolve(name(n, "json"));
    return Files.exists(f) ? readVersion(f) : Optional.empty();
  }

  /**
   * The newest version of {@code policy} marked last-known-good whose pointer and version file are
   * both intact; a damaged newer one is reported and passed over.
   */
  public Optional<PolicyVersion> lastKnownGood(String policy) {
    checkPolicy(policy);
    List<Path> pointers = new ArrayList<>(numberedFiles(lkg.resolve(policy), "json"));
    for (int k = pointers.size() - 1; k >= 0; k--) {
      Path p = pointers.get(k);
      try {
        long n = RegistryCodec.read(SealedFile.read(p), RegistryCodec.LkgPointer.class).version();
        Optional<PolicyVersion> v = version(n);
        if (v.isPresent() && v.get().policy().equals(policy)) return v;
        warnOnce(p + ": points at version " + n + ", which is missing or damaged; using an older last-known-good");
      } catch (SealedFile.Damaged | IllegalArgumentException e) {
        warnOnce(p + ": " + e.getMessage() + "; using an older last-known-good");
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + p + ": " + e.getMessage(), e);
      }
    }
    return Optional.empty();
  }

  /** Marks {@code v} last-known-good for its policy (idempotent per version). */
  public void markLastKnownGood(PolicyVersion v, Provenance why) {
    locked(() -> {
      Path d = lkg.resolve(v.policy());
      Files.createDirectories(d);
      Path f = d.resolve(name(v.version(), "json"));
      if (!Files.exists(f)) SealedFile.write(f, RegistryCodec.bytes(new RegistryCodec.LkgPointer(v.version(), v.policy(), why)));
      return null;
    });
  }

  // ------------------------------------------------------------------ artifacts

  /** Keeps {@code data} as a model artifact without a lineage. */
  public ModelArtifact saveArtifact(String name, byte[] data, Provenance provenance) {
    return saveArtifact(name, data, provenance, null);
  }

  /**
   * Keeps {@code data} as a model artifact: the bytes first, then the metadata that vouches for
   * them (their length and SHA-256, who made them and why, and {@code lineage}: what they were
   * made from; null for none).
   */
  public ModelArtifact saveArtifact(String name, byte[] data, Provenance provenance, Lineage lineage) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("artifact name must not be empty");
    return locked(() -> {
      long id = highestArtifact() + 1;
      ModelArtifact a = new ModelArtifact(id, name, data.length, SealedFile.sha256(data), provenance, lineage);
      SealedFile.writeRaw(artifacts.resolve(name(id, "bin")), data);
      SealedFile.write(artifacts.resolve(name(id, "json")), RegistryCodec.bytes(a));
      return a;
    });
  }

  /** Every artifact whose metadata is intact, oldest first (the data is checked when read). */
  public List<ModelArtifact> artifacts() {
    List<ModelArtifact> out = new ArrayList<>();
    for (Path f : numberedFiles(artifacts, "json")) {
      try {
        out.add(RegistryCodec.read(SealedFile.read(f), ModelArtifact.class));
      } catch (SealedFile.Damaged | IllegalArgumentException e) {
        warnOnce(f + ": " + e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + f + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The newest intact artifact called {@code name}. */
  public Optional<ModelArtifact> latestArtifact(String name) {
    List<ModelArtifact> all = artifacts();
    for (int k = all.size() - 1; k >= 0; k--) {
      if (all.get(k).name().equals(name)) return Optional.of(all.get(k));
    }
    return Optional.empty();
  }

  /** Artifact {@code id} if its metadata is intact (its data is checked when read). */
  public Optional<ModelArtifact> artifact(long id) {
    Path f = artifacts.resolve(name(id, "json"));
    if (!Files.exists(f)) return Optional.empty();
    try {
      return Optional.of(RegistryCodec.read(SealedFile.read(f), ModelArtifact.class));
    } catch (SealedFile.Damaged | IllegalArgumentException e) {
      warnOnce(f + ": " + e.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + f + ": " + e.getMessage(), e);
    }
  }

  /** The file that holds artifact {@code id}'s bytes ({@code artifacts/000003.bin}). */
  public Path artifactFile(long id) {
    return artifacts.resolve(name(id, "bin"));
  }

  /** The artifact's bytes; throws {@link IllegalStateException} naming the file if they are missing or damaged. */
  public byte[] readArtifact(ModelArtifact a) {
    Path f = artifactFile(a.id());
    try {
      byte[] data = Files.readAllBytes(f);
      String sum = SealedFile.sha256(data);
      if (data.length != a.bytes() || !sum.equals(a.sha256())) {
        String what = data.length < a.bytes() ? "truncated: " + data.length + " of " + a.bytes() + " bytes"
            : data.length > a.bytes() ? "too long: " + data.length + " bytes, " + a.bytes() + " recorded" : "checksum mismatch";
        throw new IllegalStateException(f + ": " + what + ": its bytes have SHA-256 " + sum + ", but artifact " + a.id() + " '"
            + a.name() + "' recorded " + a.sha256() + " in " + artifacts.resolve(name(a.id(), "json"))
            + " (changed or damaged after it was saved); refusing to use it");
      }
      return data;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalStateException(f + ": missing (its metadata exists)");
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + f + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ health

  /**
   * Everything wrong in the directory right now: damaged version, pointer and artifact files,
   * temporary files an interrupted writer left, malformed audit lines.
   */
  public List<RegistryProblem> problems() {
    List<RegistryProblem> out = new ArrayList<>();
    List<Path> dirs = new ArrayList<>(List.of(versions, artifacts));
    try (DirectoryStream<Path> ps = Files.newDirectoryStream(lkg)) {
      for (Path p : ps) if (Files.isDirectory(p)) dirs.add(p);
    } catch (IOException e) {
      out.add(new RegistryProblem(lkg, "cannot list: " + e.getMessage()));
    }
    dirs.add(dir);
    for (Path d : dirs) {
      try (DirectoryStream<Path> ps = Files.newDirectoryStream(d)) {
        for (Path f : ps) {
          String n = f.getFileName().toString();
          if (n.startsWith(SealedFile.TEMP_PREFIX)) {
            out.add(new RegistryProblem(f, "temporary file of an interrupted write (ignored; safe to delete)"));
          } else if (!d.equals(dir) && n.endsWith(".json")) {
            try {
              byte[] body = SealedFile.read(f);
              if (d.equals(versions)) RegistryCodec.read(body, PolicyVersion.class);
              else if (d.equals(artifacts)) readArtifact(RegistryCodec.read(body, ModelArtifact.class));
              else RegistryCodec.read(body, RegistryCodec.LkgPointer.class);
            } catch (SealedFile.Damaged | IllegalArgumentException | IllegalStateException e) {
              out.add(new RegistryProblem(f, e.getMessage()));
            }
          }
        }
      } catch (IOException e) {
        out.add(new RegistryProblem(d, "cannot list: " + e.getMessage()));
      }
    }
    out.addAll(audit.problems());
    return out;
  }

  // ------------------------------------------------------------------ internals

  private Optional<PolicyVersion> readVersion(Path f) {
    try {
      PolicyVersion v = RegistryCodec.read(SealedFile.read(f), PolicyVersion.class);
      if (!f.getFileName().toString().equals(name(v.version(), "json"))) {
        warnOnce(f + ": holds version " + v.version() + ", not the one its name says; ignored");
        return Optional.empty();
      }
      return Optional.of(v);
    } catch (SealedFile.Damaged | IllegalArgumentException e) {
      warnOnce(f + ": " + e.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + f + ": " + e.getMessage(), e);
    }
  }

  /**
   * The highest version number anything refers to: version files (damaged ones too: their number
   * was used), temporary files of interrupted writes, and last-known-good pointers.
   */
  private long highestUsed() throws IOException {
    long max = highestNumber(versions);
    try (DirectoryStream<Path> ps = Files.newDirectoryStream(lkg)) {
      for (Path p : ps) if (Files.isDirectory(p)) max = Math.max(max, highestNumber(p));
    }
    return max;
  }

  private long highestArtifact() throws IOException {
    return highestNumber(artifacts);
  }

  private static long highestNumber(Path d) throws IOException {
    long max = 0;
    try (DirectoryStream<Path> ps = Files.newDirectoryStream(d)) {
      for (Path f : ps) {
        String n = f.getFileName().toString();
        if (n.startsWith(SealedFile.TEMP_PREFIX)) n = n.substring(SealedFile.TEMP_PREFIX.length());
        Matcher m = Pattern.compile("^(\\d{6,})\\.").matcher(n);
        if (m.find()) max = Math.max(max, Long.parseLong(m.group(1)));
      }
    }
    return max;
  }

  private List<Path> numberedFiles(Path d, String ext) {
    if (!Files.isDirectory(d)) return List.of();
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ps = Files.newDirectoryStream(d)) {
      for (Path f : ps) {
        Matcher m = NUMBERED.matcher(f.getFileName().toString());
        if (m.matches() && m.group(2).equals(ext)) out.add(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + d + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparingLong(f -> Long.parseLong(f.getFileName().toString().split("\\.")[0])));
    return out;
  }

  static String name(long n, String ext) {
    return String.format("%06d.%s", n, ext);
  }

  private static void checkPolicy(String policy) {
    if (policy == null || !POLICY.matcher(policy).matches()) {
      throw new IllegalArgumentException("policy name '" + policy + "' must match " + POLICY.pattern());
    }
  }

  void warnOnce(String msg) {
    if (warned.add(msg)) warnings.accept("registry: " + msg);
  }

  interface IoWork<T> {
    T run() throws IOException;
  }

  /** Runs {@code work} holding this process's lock and the directory's file lock (other processes). */
  <T> T locked(IoWork<T> work) {
    ReentrantLock l = IN_PROCESS.computeIfAbsent(dir, d -> new ReentrantLock());
    l.lock();
    try (FileChannel ch = FileChannel.open(dir.resolve("registry.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = ch.lock()) {
      return work.run();
    } catch (IOException e) {
      throw new UncheckedIOException("registry " + dir + ": " + e.getMessage(), e);
    } finally {
      l.unlock();
    }
  }
}
