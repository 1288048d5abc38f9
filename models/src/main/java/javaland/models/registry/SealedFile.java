package javaland.models.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A registry file: one header line carrying the body's length and SHA-256, then the body. Written
 * whole or not at all (temporary file, fsync, rename, fsync of the directory), so a reader sees
 * either nothing or the complete file; a file that was cut short or changed afterwards fails
 * {@link #read} with a message that says which.
 */
final class SealedFile {
  static final String MAGIC = "javaland-registry 1";
  /** Temporary files start with this; a leftover one is an interrupted write. */
  static final String TEMP_PREFIX = ".tmp-";

  private SealedFile() {}

  /** Why a file could not be read; the message says what is wrong with it. */
  static final class Damaged extends Exception {
    Damaged(String what) {
      super(what);
    }
  }

  /**
   * Writes {@code body} to {@code target} atomically. Never replaces an existing file: the
   * registry's files are immutable once written (a version number is never reused).
   */
  static void write(Path target, byte[] body) throws IOException {
    byte[] header = (MAGIC + " sha256=" + sha256(body) + " bytes=" + body.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[header.length + body.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(body, 0, all, header.length, body.length);
    writeRaw(target, all);
  }

  /** Atomic, durable creation of {@code target} with exactly {@code data}; fails if it exists. */
  static void writeRaw(Path target, byte[] data) throws IOException {
    Path dir = target.getParent();
    Path tmp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) ch.write(b);
      ch.force(true);
    }
    try {
      if (Files.exists(target)) throw new FileAlreadyExistsException(target + " exists; registry files are never replaced");
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      if (e instanceof AtomicMoveNotSupportedException) {
        throw new IOException("the registry directory " + dir + " does not support atomic rename", e);
      }
      throw e;
    }
    fsyncDirectory(dir);
  }

  /** Makes a rename or creation in {@code dir} durable (the entry, not only the data). */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** The body of a sealed file, checked; throws {@link Damaged} naming what is wrong. */
  static byte[] read(Path file) throws IOException, Damaged {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new Damaged("missing");
    }
    if (all.length == 0) throw new Damaged("empty (0 bytes)");
    int nl = -1;
    for (int k = 0; k < Math.min(all.length, 200); k++) {
      if (all[k] == '\n') {
        nl = k;
        break;
      }
    }
    if (nl < 0) throw new Damaged("no header line (expected '" + MAGIC + " sha256=... bytes=...'): truncated or not a registry file");
    String header = new String(all, 0, nl, StandardCharsets.US_ASCII);
    String[] parts = header.split(" ");
    if (!header.startsWith(MAGIC + " ") || parts.length != 4 || !parts[2].startsWith("sha256=") || !parts[3].startsWith("bytes=")) {
      throw new Damaged("bad header '" + abbreviate(header) + "' (expected '" + MAGIC + " sha256=... bytes=...')");
    }
    long expected;
    try {
      expected = Long.parseLong(parts[3].substring("bytes=".length()));
    } catch (NumberFormatException e) {
      throw new Damaged("bad length in header '" + abbreviate(header) + "'");
    }
    int have = all.length - nl - 1;
    if (have < expected) throw new Damaged("truncated: " + have + " of " + expected + " bytes of content");
    if (have > expected) throw new Damaged("too long: " + have + " bytes of content, header says " + expected);
    byte[] body = new byte[have];
    System.arraycopy(all, nl + 1, body, 0, have);
    String sum = sha256(body);
    if (!sum.equals(parts[2].substring("sha256=".length()))) {
      throw new Damaged("checksum mismatch: content is sha256 " + sum.substring(0, 12) + "..., header says "
          + abbreviate(parts[2].substring("sha256=".length())) + " (changed after it was written)");
    }
    return body;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
