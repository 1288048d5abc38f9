package javaland.sdk;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy's parameter as a field: the declaration and the value in force, read on the hot path
 * as a plain field ({@code slice.ns()}), never by name.
 *
 * <pre>
 *   private final Param.Time slice = Param.micros("slice_us", 50, 100_000, 5_000, "every task's slice");
 *   ...
 *   task.slice(slice.ns());
 * </pre>
 *
 * The runtime sets the values, on the dispatch thread between two batches, after checking them
 * against {@link #spec()} once at the edge where they came in (command line, API, registry);
 * then it calls {@link Policy#configured()}. A policy never writes them.
 */
public abstract sealed class Param permits Param.Time, Param.Flag, Param.Number {
  private Parameter spec;

  Param(Parameter spec) {
    this.spec = spec;
  }

  public final Parameter spec() {
    return spec;
  }

  public final String name() {
    return spec.name();
  }

  /** The value in {@code spec().unit()}. */
  public abstract double value();

  /**
   * For the runtime: puts {@code value}, already checked against {@link #spec()}, in force.
   * Called on the dispatch thread between batches, so the policy reads it without a barrier.
   */
  public abstract void set(double value);

  /** Values worth trying when the learner searches over this parameter; returns this. */
  @SuppressWarnings("unchecked")
  public final <P extends Param> P explore(double... values) {
    spec = spec.withExplore(values);
    return (P) this;
  }

  public static Time micros(String name, long min, long max, long defaultValue, String meaning) {
    return new Time(Parameter.micros(name, min, max, defaultValue, meaning));
  }

  public static Time millis(String name, long min, long max, long defaultValue, String meaning) {
    return new Time(Parameter.millis(name, min, max, defaultValue, meaning));
  }

  public static Flag flag(String name, boolean defaultValue, String meaning) {
    return new Flag(Parameter.flag(name, defaultValue, meaning));
  }

  public static Number number(String name, String unit, double min, double max, double defaultValue, String meaning) {
    return new Number(Parameter.number(name, unit, min, max, defaultValue, meaning));
  }

  /**
   * The {@code Param} fields of {@code owner}'s class, in declaration order: what
   * {@link Policy#parameters()} returns unless a policy says otherwise. Reads reflectively, so
   * only off the hot path (at start and when the registry or API lists the schema).
   */
  public static List<Param> fieldsOf(Object owner) {
    List<Param> out = new ArrayList<>();
    for (Class<?> c = owner.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      List<Param> own = new ArrayList<>();
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || !Param.class.isAssignableFrom(f.getType())) continue;
        try {
          f.setAccessible(true);
          Object v = f.get(owner);
          if (v != null) own.add((Param) v);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException("cannot read parameter field " + c.getName() + "." + f.getName() + ": " + e, e);
        }
      }
      out.addAll(0, own); // a superclass's parameters first
    }
    return List.copyOf(out);
  }

  /** A time: declared in us or ms, read in ns. */
  public static final class Time extends Param {
    private long ns;
    private double value;

    Time(Parameter spec) {
      super(spec);
      set(spec.defaultValue());
    }

    public long ns() {
      return ns;
    }

    @Override
    public double value() {
      return value;
    }

    @Override
    public void set(double v) {
      value = v;
      ns = Math.round(v * spec().kind().nsPerUnit());
    }
  }

  /** A switch. */
  public static final class Flag extends Param {
    private boolean on;

    Flag(Parameter spec) {
      super(spec);
      set(spec.defaultValue());
    }

    public boolean on() {
      return on;
    }

    @Override
    public double value() {
      return on ? 1 : 0;
    }

    @Override
    public void set(double v) {
      on = v >= 0.5;
    }
  }

  /** A number in its declared unit. */
  public static final class Number extends Param {
    private double value;

    Number(Parameter spec) {
      super(spec);
      set(spec.defaultValue());
    }

    @Override
    public double value() {
      return value;
    }

    public long asLong() {
      return Math.round(value);
    }

    @Override
    public void set(double v) {
      value = v;
    }
  }
}
