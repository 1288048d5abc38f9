package javaland.learner.bandit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javaland.sdk.Parameter;
import org.junit.jupiter.api.Test;

class ArmGridTest {
  private static final List<Parameter> SPECS = List.of(
      Parameter.of("slice_us", 100, 20000, 3000, "us", "time slice"),
      Parameter.of("wake_boost", 0, 1, 0.5, "", "boost"),
      Parameter.of("lag_limit", 0, 10, 2, "", "lag"));

  @Test
  void everyArmMapsToADistinctParameterSetAndBack() {
    ArmGrid g = ArmGrid.of(SPECS, Map.of("slice_us", List.of(1000.0, 3000.0, 10000.0), "wake_boost", List.of(0.0, 1.0)));
    assertEquals(6, g.size());
    Set<Map<String, Double>> seen = new HashSet<>();
    for (int a = 0; a < g.size(); a++) {
      Map<String, Double> p = g.parameters(a);
      assertEquals(2.0, p.get("lag_limit"), "unlisted parameter stays at its default");
      assertTrue(seen.add(p), "duplicate arm " + p);
      assertEquals(a, g.index(p));
    }
    assertEquals(Map.of("slice_us", 10000.0, "wake_boost", 1.0, "lag_limit", 2.0), g.parameters(5));
    assertArrayEquals(new double[] {10000.0, 1.0, 2.0}, g.vector(5));
    assertEquals(List.of("slice_us", "wake_boost", "lag_limit"), g.names());
  }

  @Test
  void evenlySpacedLevels() {
    ArmGrid g = ArmGrid.evenly(SPECS, Map.of("lag_limit", 3));
    assertEquals(3, g.size());
    assertEquals(5.0, g.parameters(1).get("lag_limit"));
    assertEquals(10.0, g.parameters(2).get("lag_limit"));
  }

  @Test
  void badGridsAreRejectedNamingTheParameter() {
    var e = assertThrows(IllegalArgumentException.class, () -> ArmGrid.of(SPECS, Map.of("slice_us", List.of(50.0))));
    assertTrue(e.getMessage().contains("slice_us") && e.getMessage().contains("out of range"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ArmGrid.of(SPECS, Map.of("nope", List.of(1.0))));
    assertTrue(e.getMessage().contains("unknown parameter nope"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ArmGrid.of(SPECS, Map.of("wake_boost", List.of(1.0, 1.0))));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ArmGrid.evenly(SPECS, Map.of("wake_boost", 1)));
    assertTrue(e.getMessage().contains("2 levels"), e.getMessage());
    ArmGrid g = ArmGrid.of(SPECS, Map.of("wake_boost", List.of(0.0, 1.0)));
    e = assertThrows(IllegalArgumentException.class, () -> g.index(Map.of("wake_boost", 0.5)));
    assertTrue(e.getMessage().contains("not on the grid"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> g.parameters(2));
    assertTrue(e.getMessage().contains("arm 2"), e.getMessage());
  }
}
