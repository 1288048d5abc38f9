package javaland.trace;

/** A line parser's verdict on a line: what it expected instead. The importer adds file and line. */
final class MalformedLineException extends Exception {
  MalformedLineException(String expected) {
    super(expected, null, false, false); // thrown often in lenient imports of garbage: no stack trace
  }

  String expected() {
    return getMessage();
  }
}
