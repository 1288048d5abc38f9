package javaland.trace;

import java.io.IOException;

/**
 * Reads one format's lines. A parser checks a whole line before it reports anything to the
 * context, so a malformed line contributes nothing; it keeps only bounded state (per CPU, per
 * task) between lines.
 */
interface LineParser {
  /** Parses one line (without its line terminator); throws if it is malformed. */
  void parse(String line, ParseContext ctx) throws MalformedLineException, IOException;

  /** The input ended: report what is still held back. */
  default void finish(ParseContext ctx) throws IOException {}
}
