package javaland.testbed;

/** The test bed could not run: a missing tool, a failing build script, no qemu. Not a test failure. */
public class VmException extends RuntimeException {
  public VmException(String message) {
    super(message);
  }

  public VmException(String message, Throwable cause) {
    super(message, cause);
  }
}
