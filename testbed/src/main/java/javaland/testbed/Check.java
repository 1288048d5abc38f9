package javaland.testbed;

/** One named pass/fail check of a scenario, with what was seen. */
public record Check(String name, boolean pass, String detail) {
  public static Check of(String name, boolean pass, String detail) {
    return new Check(name, pass, detail);
  }
}
