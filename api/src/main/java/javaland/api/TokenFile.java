package javaland.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A static bearer token's file, as {@code run --api-token-file} takes it: comments ({@code #}),
 * one token line (16 characters or more, no spaces), optionally a {@code scope:} line (default:
 * both scopes). The runtime reads it with {@link #read}, which also refuses a file that group or
 * others can read; a client reads the token alone with {@link #token}, which takes the same file
 * or one holding a JWT.
 */
public record TokenFile(String token, Set<String> scopes) {
  private static final Set<String> KNOWN_SCOPES = Set.of(ApiContract.READ, ApiContract.WRITE);
  private static final int MIN_TOKEN_CHARS = 16;

  /** The runtime's reading: every rule checked; throws naming the file, the line and what is wrong. */
  public static TokenFile read(Path file) {
    String text;
    try {
      if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--api-token-file " + file + ": no such file");
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : perms) {
          if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
            throw new IllegalArgumentException("--api-token-file " + file + " is readable by group or others ("
                + PosixFilePermissions.toString(perms) + "): chmod 600 " + file);
          }
        }
      } catch (UnsupportedOperationException notPosix) {
        // no POSIX permissions on this file system: nothing to check
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("--api-token-file " + file + ": " + e.getMessage(), e);
    }
    String token = null;
    Set<String> scopes = Set.of(ApiContract.READ, ApiContract.WRITE);
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (line.startsWith("scope:")) {
        scopes = new LinkedHashSet<>(Arrays.asList(line.substring("scope:".length()).strip().split("\\s+")));
        for (String s : scopes) {
          if (!KNOWN_SCOPES.contains(s)) {
            throw new IllegalArgumentException("--api-token-file " + file + " line " + lineNo + ": unknown scope '"
                + s + "' (known: " + ApiContract.READ + ", " + ApiContract.WRITE + ")");
          }
        }
      } else if (token == null) {
        if (line.length() < MIN_TOKEN_CHARS || line.chars().anyMatch(Character::isWhitespace)) {
          throw new IllegalArgumentException("--api-token-file " + file + " line " + lineNo + ": the token must be at least "
              + MIN_TOKEN_CHARS + " characters without spaces (e.g. openssl rand -hex 32)");
        }
        token = line;
      } else {
        throw new IllegalArgumentException("--api-token-file " + file + " line " + lineNo
            + ": expected only the token and an optional 'scope: ...' line");
      }
    }
    if (token == null) throw new IllegalArgumentException("--api-token-file " + file + ": no token in the file");
    return new TokenFile(token, Set.copyOf(scopes));
  }

  /**
   * A client's reading ({@code --token-file}): the first line that is not blank, a comment or a
   * {@code scope:} line, so the runtime's file works, as does a file holding a JWT. The server
   * judges the token; a client only sends it.
   */
  public static String token(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("scope:")) return l;
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--token-file " + file + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("--token-file " + file + ": no token in the file");
  }
}
