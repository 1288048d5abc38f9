package javaland.runtime.kernel;

import java.util.Arrays;
import javaland.models.params.ParameterSet;
import javaland.models.params.Schema;

/**
 * The kernel half's knobs as its two implementations read them: each {@link KernelKnob}'s value
 * in the unit the BPF program uses (ns, bytes, 0/1). Made from a validated {@link ParameterSet},
 * so it is never invalid; immutable.
 */
public final class KernelParams {
  private static final Schema SCHEMA = Schema.of(KernelKnob.PARAMETERS);
  private static final KernelParams DEFAULTS = of(SCHEMA.defaults());

  private final long[] wire;

  private KernelParams(long[] wire) {
    this.wire = wire;
  }

  /** The knobs' values in {@code set}, which holds every {@code kernel.*} parameter. */
  public static KernelParams of(ParameterSet set) {
    long[] w = new long[KernelKnob.values().length];
    for (KernelKnob k : KernelKnob.values()) w[k.ordinal()] = k.toWire(set.get(k.parameter()));
    return new KernelParams(w);
  }

  /** Knobs given by name (the rest at their defaults), checked against their declarations. */
  public static KernelParams parse(java.util.Map<String, Double> given) {
    return of(SCHEMA.parse(given));
  }

  public static KernelParams defaults() {
    return DEFAULTS;
  }

  /** The kernel half's parameters alone (for tests and tools that have no policy). */
  public static Schema schema() {
    return SCHEMA;
  }

  /** The knob's value as the BPF program reads it. */
  public long get(KernelKnob k) {
    return wire[k.ordinal()];
  }

  public boolean on(KernelKnob k) {
    return wire[k.ordinal()] != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KernelParams p && Arrays.equals(p.wire, wire);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(wire);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("KernelParams[");
    for (KernelKnob k : KernelKnob.values()) s.append(k.wireField()).append('=').append(wire[k.ordinal()]).append(k.ordinal() + 1 < wire.length ? ", " : "]");
    return s.toString();
  }
}
