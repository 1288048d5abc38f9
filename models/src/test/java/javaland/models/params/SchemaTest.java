package javaland.models.params;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javaland.models.FieldError;
import javaland.sdk.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaTest {
  private static final Schema SCHEMA = Schema.of(List.of(
      Parameter.micros("slice_us", 50, 100_000, 5_000, "a slice"),
      Parameter.number("ratio", "", 0, 1, 0.5, "a ratio"),
      Parameter.millis("kernel.rescue_ms", 1, 4_000, 100, "dotted name"),
      Parameter.flag("kernel.fast", true, "a switch")));

  @Test
  void defaultsAreFilledIn() {
    ParameterSet p = SCHEMA.parse(Map.of("ratio", 0.25));
    assertEquals(Map.of("slice_us", 5_000.0, "ratio", 0.25, "kernel.rescue_ms", 100.0, "kernel.fast", 1.0), p.values());
    assertEquals(SCHEMA.parse(Map.of()), SCHEMA.defaults());
    assertEquals(5_000.0, SCHEMA.defaults().get("slice_us"));
    assertEquals(Map.of("ratio", 0.25), p.changed());
  }

  @Test
  void overKeepsWhatIsNotGiven() {
    ParameterSet base = SCHEMA.parse(Map.of("ratio", 0.25));
    ParameterSet next = SCHEMA.over(base, Map.of("slice_us", 70.0));
    assertEquals(0.25, next.get("ratio"));
    assertEquals(70.0, next.get("slice_us"));
    assertEquals(0.5, SCHEMA.defaults().get("ratio"), "the defaults are untouched");
    assertNotSame(base, next);
  }

  @Test
  void everyErrorIsNamedAtOnceInNameOrder() {
    ParameterException e = assertThrows(ParameterException.class,
        () -> SCHEMA.parse(Map.of("slice_ms", 3.0, "ratio", 2.0, "kernel.fast", 0.5)));
    assertEquals(List.of("kernel.fast", "ratio", "slice_ms"), e.errors().stream().map(FieldError::path).toList());
    assertTrue(e.errors().get(2).message().contains("known: slice_us, ratio, kernel.rescue_ms, kernel.fast"),
        e.errors().get(2).message());
    assertTrue(e.errors().get(0).message().contains("0 or 1"), e.errors().get(0).message());
  }

  @ParameterizedTest
  @ValueSource(doubles = {49.999, -1, 100_000.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void outOfRangeNamesTheParameterAndTheRange(double value) {
    ParameterException e = assertThrows(ParameterException.class, () -> SCHEMA.parse(Map.of("slice_us", value)));
    String m = e.getMessage();
    assertTrue(m.contains("slice_us"), m);
    assertTrue(m.contains("50.0..100000.0 us"), m);
    assertTrue(m.contains(String.valueOf(value)), m);
  }

  @Test
  void boundsAreInclusive() {
    assertDoesNotThrow(() -> SCHEMA.parse(Map.of("slice_us", 50.0, "ratio", 1.0)));
    assertDoesNotThrow(() -> SCHEMA.parse(Map.of("slice_us", 100_000.0, "ratio", 0.0)));
  }

  @Test
  void nothingIsPartiallyAppliedAndSetsAreImmutable() {
    ParameterSet base = SCHEMA.defaults();
    assertThrows(ParameterException.class, () -> SCHEMA.over(base, Map.of("slice_us", 60.0, "ratio", 2.0)));
    assertEquals(5_000.0, base.get("slice_us"));
    assertThrows(UnsupportedOperationException.class, () -> base.values().put("ratio", 9.0));
  }

  @Test
  void aSetOfAnotherSchemaIsNotABase() {
    Schema other = Schema.of(List.of(Parameter.flag("x", true, "")));
    assertThrows(IllegalArgumentException.class, () -> SCHEMA.over(other.defaults(), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> SCHEMA.defaults().with(other.change(Map.of("x", 0.0))));
    Schema same = Schema.of(SCHEMA.parameters());
    assertEquals(SCHEMA.defaults(), same.defaults(), "equal values of equal declarations are equal sets");
    assertEquals(0.25, SCHEMA.defaults().with(same.change(Map.of("ratio", 0.25))).get("ratio"));
  }

  @Test
  void aChangeIsCheckedOnceAndAppliedAsIs() {
    ParameterChange c = SCHEMA.change(Map.of("ratio", 0.75));
    assertEquals(Map.of("ratio", 0.75), c.values());
    ParameterSet a = SCHEMA.defaults().with(c);
    ParameterSet b = SCHEMA.parse(Map.of("slice_us", 60.0)).with(c);
    assertEquals(0.75, a.get("ratio"));
    assertEquals(60.0, b.get("slice_us"));
    assertEquals(0.75, b.get("ratio"));
    assertThrows(ParameterException.class, () -> SCHEMA.change(Map.of("ratio", 7.0)));
  }

  @Test
  void aNameDeclaredTwiceIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schema.of(
        List.of(Parameter.flag("x", true, "")), List.of(Parameter.flag("x", false, ""))));
    assertTrue(e.getMessage().contains("x"), e.getMessage());
  }

  @Test
  void numbersParseTextAndNameWhatIsNot() {
    assertEquals(Map.of("a", 1.5, "b", 1.0, "c", 0.0), Schema.numbers(Map.of("a", " 1.5", "b", "true", "c", "off")));
    ParameterException e = assertThrows(ParameterException.class, () -> Schema.numbers(Map.of("a", "fast")));
    assertTrue(e.getMessage().contains("a = 'fast' is not a number"), e.getMessage());
  }

  @Test
  void parameterRejectsADefaultOutsideItsRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Parameter.micros("slice_us", 50, 100, 200, ""));
    assertTrue(e.getMessage().contains("slice_us"), e.getMessage());
    assertTrue(e.getMessage().contains("200"), e.getMessage());
    assertTrue(e.getMessage().contains("50.0..100.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Parameter.number("x", "", 50, 100, 49, ""));
    assertThrows(IllegalArgumentException.class, () -> Parameter.number("x", "", 0, 1, Double.NaN, ""));
    assertThrows(IllegalArgumentException.class, () -> Parameter.number("x", "", 5, 1, 3, ""), "min above max");
    assertThrows(IllegalArgumentException.class, () -> Parameter.micros("x", 0, 10, 5, "").withExplore(11), "explore out of range");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Slice", "1slice", "slice-us", "slice us", "_slice", ".x", "slice\n", "a.b.c"})
  void parameterRejectsBadNames(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parameter.flag(name, true, ""));
    assertTrue(e.getMessage().contains("bad parameter name"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "slice_us", "kernel.slice_us", "a1"})
  void parameterAcceptsGoodNames(String name) {
    assertEquals(name, Parameter.flag(name, true, "").name());
  }

  @Test
  void exploreIsDeclaredOrDerivedWithinRange() {
    assertEquals(List.of(1250.0, 5000.0, 20000.0), SCHEMA.parameters().get(0).exploreOrDerived());
    assertEquals(List.of(0.0, 1.0), SCHEMA.parameters().get(3).exploreOrDerived());
    assertEquals(List.of(60.0, 70.0), Parameter.micros("s", 50, 100, 60, "").withExplore(60, 70).exploreOrDerived());
    assertEquals(List.of(50.0, 60.0, 100.0), Parameter.micros("s", 50, 100, 60, "").exploreOrDerived());
  }
}
