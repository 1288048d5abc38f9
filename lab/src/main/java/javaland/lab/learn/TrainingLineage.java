package javaland.lab.learn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import javaland.models.registry.BuildInfo;
import javaland.models.registry.Lineage;

/**
 * What {@code train} records of where its model came from ({@link Lineage}): each trace file
 * with the SHA-256 of its bytes as stored (compressed if it is: {@code sha256sum FILE} prints the
 * same), each synthetic workload with its seeds, the policy, grid and seeds, and this build's
 * version and commit. A trace is hashed before it is read and again after: if it changed in
 * between, the model would not be of the bytes recorded, and training stops.
 */
final class TrainingLineage {
  private TrainingLineage() {}

  /** {@code file} (path as given) with its size, compression and SHA-256. */
  static Lineage.TraceInput hash(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    long n;
    boolean gzip;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      byte[] head = in.readNBytes(2);
      gzip = head.length == 2 && head[0] == (byte) 0x1f && head[1] == (byte) 0x8b;
      n = head.length;
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0;) n += r;
    }
    return new Lineage.TraceInput(file.toString(), file.toAbsolutePath().normalize().toString(), n, gzip ? "gzip" : "none",
        HexFormat.of().formatHex(md.digest()), Lineage.HASH_OF_FILE);
  }

  /** Throws naming the file and both hashes if {@code before} no longer describes the file. */
  static void checkUnchanged(Lineage.TraceInput before) throws IOException {
    Lineage.TraceInput now = hash(Path.of(before.path()));
    if (!now.sha256().equals(before.sha256()) || now.bytes() != before.bytes()) {
      throw new IllegalStateException("trace " + before.path() + " changed while it was read (sha256 " + before.sha256() + ", "
          + before.bytes() + " bytes before; " + now.sha256() + ", " + now.bytes() + " bytes after): train again on a file at rest");
    }
  }

  static Lineage of(Trainer.Options o, List<Lineage.TraceInput> traces) {
    List<Long> seeds = LongStream.rangeClosed(1, o.seeds()).boxed().toList();
    List<Lineage.SyntheticInput> synthetic = new ArrayList<>();
    for (String s : o.synthetic()) synthetic.add(new Lineage.SyntheticInput(s, seeds, o.syntheticCpus(), o.syntheticDurationNs()));
    return new Lineage(o.policy(), o.arms(), o.search().name().toLowerCase(Locale.ROOT), seeds, traces, synthetic, BuildInfo.current());
  }

  /** A few lines for people: each input and its hash, the build. */
  static List<String> describe(Lineage l) {
    List<String> out = new ArrayList<>();
    for (Lineage.TraceInput t : l.traces()) {
      out.add("trace " + t.path() + " (" + t.bytes() + " bytes" + (t.compression().equals("none") ? "" : ", " + t.compression())
          + ") sha256 " + t.sha256());
    }
    for (Lineage.SyntheticInput s : l.synthetic()) {
      out.add("synthetic " + s.name() + " seeds " + s.seeds() + " on " + s.cpus() + " CPUs for " + s.durationNs() / 1_000_000 + " ms");
    }
    out.add("policy " + l.policy() + ", " + l.search() + " over " + l.arms());
    out.add("built by javaland " + l.build().describe());
    return out;
  }
}
