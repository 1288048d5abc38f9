package javaland.models.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The audit log: one JSON line per change of the parameters in force or of the canary (what,
 * why, the figures behind it), appended and fsynced before the change is reported done. A line
 * cut short by a crash is reported with its line number and skipped; the next append starts on
 * a fresh line so it is not glued to the torn one.
 */
public final class AuditLog {
  private final Path file;
  private final Consumer<String> warnings;
  private final Registry owner;

  AuditLog(Path file, Consumer<String> warnings, Registry owner) {
    this.file = file;
    this.warnings = warnings;
    this.owner = owner;
  }

  public Path file() {
    return file;
  }

  /** Appends {@code e} as one line and fsyncs it. */
  public void append(AuditEntry e) {
    byte[] line = (RegistryCodec.auditLine(e) + "\n").getBytes(StandardCharsets.UTF_8);
    owner.locked(() -> {
      boolean created = !Files.exists(file);
      ByteBuffer b = ByteBuffer.wrap(line);
      if (!created) {
        try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
          long size = r.size();
          ByteBuffer last = ByteBuffer.allocate(1);
          if (size > 0 && r.read(last, size - 1) == 1 && last.get(0) != '\n') {
            // the previous line was torn by a crash: start on a line of our own
            b = ByteBuffer.wrap(("\n" + new String(line, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
          }
        }
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        while (b.hasRemaining()) ch.write(b);
        ch.force(true);
      }
      if (created) SealedFile.fsyncDirectory(file.getParent());
      return null;
    });
  }

  /** Every readable entry, oldest first (malformed lines are reported and skipped). */
  public List<AuditEntry> entries() {
    List<AuditEntry> out = new ArrayList<>();
    scan(out, null);
    return out;
  }

  /** Malformed lines, by line number. */
  List<RegistryProblem> problems() {
    List<RegistryProblem> out = new ArrayList<>();
    scan(null, out);
    return out;
  }

  private void scan(List<AuditEntry> entries, List<RegistryProblem> problems) {
    if (!Files.exists(file)) return;
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
    }
    for (int k = 0; k < lines.size(); k++) {
      String l = lines.get(k);
      if (l.isBlank()) continue;
      try {
        AuditEntry e = RegistryCodec.auditEntry(l);
        if (entries != null) entries.add(e);
      } catch (IllegalArgumentException ex) {
        String what = "line " + (k + 1) + ": " + ex.getMessage() + " (a torn or edited line; skipped)";
        if (problems != null) problems.add(new RegistryProblem(file, what));
        else warnings.accept(file + ": " + what);
      }
    }
  }
}
