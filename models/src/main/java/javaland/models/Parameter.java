package javaland.models;

/** One tunable number of a policy or of the kernel half, with its legal range. */
public record Parameter(String name, double min, double max, double defaultValue, String unit, String meaning) {
  public Parameter {
    if (!name.matches("[a-z][a-z0-9_.]*")) throw new IllegalArgumentException("bad parameter name: " + name);
    if (!(min <= defaultValue && defaultValue <= max)) {
      throw new IllegalArgumentException(name + ": default " + defaultValue + " outside " + min + ".." + max);
    }
  }

  public void check(double value) {
    if (Double.isNaN(value) || value < min || value > max) {
      throw new IllegalArgumentException("parameter " + name + " = " + value + " is out of range "
          + min + ".." + max + (unit.isEmpty() ? "" : " " + unit));
    }
  }
}
