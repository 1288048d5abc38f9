package javaland.sdk;

import java.util.List;

/**
 * The declaration of one tunable number, of a policy or of the kernel half: everything the
 * command line, the REST API, the registry, the canary and the learner need to know about it.
 * Values travel as doubles in {@link #unit()}; {@link #check} is the one range check.
 *
 * @param explore values worth trying when the learner or {@code train} searches over this
 *     parameter (empty: derived from the default, see {@link #exploreOrDerived})
 */
public record Parameter(String name, Kind kind, String unit, double min, double max, double defaultValue,
    String meaning, List<Double> explore) {
  /** How a value is read: as a time in {@code unit}, a 0/1 switch, or a plain number. */
  public enum Kind {
    MICROS("us", 1_000),
    MILLIS("ms", 1_000_000),
    FLAG("", 1),
    NUMBER(null, 1);

    private final String unit;
    private final long nsPerUnit;

    Kind(String unit, long nsPerUnit) {
      this.unit = unit;
      this.nsPerUnit = nsPerUnit;
    }

    /** Nanoseconds per unit for times; 1 otherwise. */
    public long nsPerUnit() {
      return nsPerUnit;
    }
  }

  public Parameter {
    if (name == null || !name.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?")) {
      throw new IllegalArgumentException("bad parameter name '" + name + "': lower case, digits and '_', one optional 'prefix.'");
    }
    if (kind.unit != null) unit = kind.unit;
    if (unit == null) unit = "";
    if (kind == Kind.FLAG && (min != 0 || max != 1)) throw new IllegalArgumentException(name + ": a flag ranges over 0..1");
    if (!(min <= defaultValue && defaultValue <= max)) {
      throw new IllegalArgumentException(name + ": default " + defaultValue + " outside " + min + ".." + max);
    }
    meaning = meaning == null ? "" : meaning;
    explore = List.copyOf(explore);
    for (double v : explore) {
      String why = problem(name, kind, unit, min, max, v);
      if (why != null) throw new IllegalArgumentException(name + ": explore value: " + why);
    }
  }

  public static Parameter micros(String name, long min, long max, long defaultValue, String meaning) {
    return new Parameter(name, Kind.MICROS, "us", min, max, defaultValue, meaning, List.of());
  }

  public static Parameter millis(String name, long min, long max, long defaultValue, String meaning) {
    return new Parameter(name, Kind.MILLIS, "ms", min, max, defaultValue, meaning, List.of());
  }

  public static Parameter flag(String name, boolean defaultValue, String meaning) {
    return new Parameter(name, Kind.FLAG, "", 0, 1, defaultValue ? 1 : 0, meaning, List.of());
  }

  public static Parameter number(String name, String unit, double min, double max, double defaultValue, String meaning) {
    return new Parameter(name, Kind.NUMBER, unit, min, max, defaultValue, meaning, List.of());
  }

  /**
   * A declaration as the REST API lists one (name, range, default, unit, meaning): a time for
   * "us" and "ms", otherwise a number (a flag reads as the number 0..1).
   */
  public static Parameter of(String name, double min, double max, double defaultValue, String unit, String meaning) {
    Kind kind = switch (unit == null ? "" : unit) {
      case "us" -> Kind.MICROS;
      case "ms" -> Kind.MILLIS;
      default -> Kind.NUMBER;
    };
    return new Parameter(name, kind, unit, min, max, defaultValue, meaning, List.of());
  }

  /** This declaration with values worth exploring. */
  public Parameter withExplore(double... values) {
    return new Parameter(name, kind, unit, min, max, defaultValue, meaning,
        java.util.Arrays.stream(values).boxed().toList());
  }

  /** Null when {@code value} is legal, else why not (naming the parameter, its range and unit). */
  public String problem(double value) {
    return problem(name, kind, unit, min, max, value);
  }

  /** Throws {@link IllegalArgumentException} saying why, when {@code value} is not legal. */
  public void check(double value) {
    String why = problem(value);
    if (why != null) throw new IllegalArgumentException(why);
  }

  /** {@link #explore} if declared, else a quarter of, the default and four times it, within range. */
  public List<Double> exploreOrDerived() {
    if (!explore.isEmpty()) return explore;
    if (kind == Kind.FLAG) return List.of(0.0, 1.0);
    java.util.TreeSet<Double> v = new java.util.TreeSet<>();
    for (double f : new double[] {0.25, 1, 4}) v.add(Math.max(min, Math.min(max, Math.rint(defaultValue * f))));
    return List.copyOf(v);
  }

  private static String problem(String name, Kind kind, String unit, double min, double max, double value) {
    if (Double.isNaN(value) || value < min || value > max) {
      return "parameter " + name + " = " + value + " is out of range " + min + ".." + max + (unit.isEmpty() ? "" : " " + unit);
    }
    if (kind == Kind.FLAG && value != 0 && value != 1) return "parameter " + name + " = " + value + " is a flag: 0 or 1";
    return null;
  }
}
