package javaland.models;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParametersTest {
  private static final List<Parameter> SPECS = List.of(
      new Parameter("slice_us", 50, 100_000, 5_000, "us", "a slice"),
      new Parameter("ratio", 0, 1, 0.5, "", "a ratio"),
      new Parameter("kernel.rescue_ms", 1, 4_000, 100, "ms", "dotted name"));

  @Test
  void defaultsAreFilledIn() {
    Parameters p = Parameters.of(SPECS, Map.of("ratio", 0.25));
    assertEquals(Map.of("slice_us", 5_000.0, "ratio", 0.25, "kernel.rescue_ms", 100.0), p.values());
    assertEquals(Parameters.of(SPECS, Map.of()), Parameters.defaults(SPECS));
    assertEquals(5_000.0, Parameters.defaults(SPECS).get("slice_us"));
  }

  @Test
  void unknownNameIsNamedAndTheKnownOnesListed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Parameters.of(SPECS, Map.of("slice_ms", 3.0)));
    assertTrue(e.getMessage().contains("slice_ms"), e.getMessage());
    for (Parameter p : SPECS) assertTrue(e.getMessage().contains(p.name()), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {49.999, -1, 100_000.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void outOfRangeNamesTheParameterAndTheRange(double value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Parameters.of(SPECS, Map.of("slice_us", value)));
    String m = e.getMessage();
    assertTrue(m.contains("slice_us"), m);
    assertTrue(m.contains("50.0..100000.0"), m);
    assertTrue(m.contains(String.valueOf(value)), m);
  }

  @Test
  void boundsAreInclusive() {
    assertDoesNotThrow(() -> Parameters.of(SPECS, Map.of("slice_us", 50.0, "ratio", 1.0)));
    assertDoesNotThrow(() -> Parameters.of(SPECS, Map.of("slice_us", 100_000.0, "ratio", 0.0)));
  }

  @Test
  void nothingIsPartiallyApplied() {
    assertThrows(IllegalArgumentException.class,
        () -> Parameters.of(SPECS, Map.of("slice_us", 60.0, "ratio", 2.0)));
    Parameters p = Parameters.defaults(SPECS);
    assertThrows(UnsupportedOperationException.class, () -> p.values().put("ratio", 9.0), "values are immutable");
  }

  @Test
  void getAndMicros() {
    Parameters p = Parameters.of(SPECS, Map.of("slice_us", 1_234.5678));
    assertEquals(1_234_568, p.micros("slice_us"), "rounded to the nearest ns");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.get("nope"));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void parameterRejectsADefaultOutsideItsRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Parameter("slice_us", 50, 100, 200, "us", ""));
    assertTrue(e.getMessage().contains("slice_us"), e.getMessage());
    assertTrue(e.getMessage().contains("200"), e.getMessage());
    assertTrue(e.getMessage().contains("50.0..100.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Parameter("x", 50, 100, 49, "", ""));
    assertThrows(IllegalArgumentException.class, () -> new Parameter("x", 0, 1, Double.NaN, "", ""));
    assertThrows(IllegalArgumentException.class, () -> new Parameter("x", 5, 1, 3, "", ""), "min above max");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Slice", "1slice", "slice-us", "slice us", "_slice", ".x", "slice\n"})
  void parameterRejectsBadNames(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Parameter(name, 0, 1, 0, "", ""));
    assertTrue(e.getMessage().contains("bad parameter name"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "slice_us", "kernel.slice_us", "a1"})
  void parameterAcceptsGoodNames(String name) {
    assertEquals(name, new Parameter(name, 0, 1, 0, "", "").name());
  }
}
