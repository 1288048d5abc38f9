package javaland.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javaland.models.json.Json;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsWhatTheRegistryWrites() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "quote \" backslash \\ newline \n tab \t é");
    m.put("n", 1.5);
    m.put("i", 42L);
    m.put("neg", -3e-7);
    m.put("b", true);
    m.put("z", null);
    m.put("l", List.of(1.0, "x"));
    String text = Json.write(m);
    assertTrue(!text.contains("\n"), "one line");
    Map<String, Object> back = Json.parseObject(text);
    assertEquals(m.get("s"), back.get("s"));
    assertEquals(1.5, back.get("n"));
    assertEquals(42.0, back.get("i"));
    assertEquals(-3e-7, back.get("neg"));
    assertEquals(true, back.get("b"));
    assertTrue(back.containsKey("z") && back.get("z") == null);
    assertEquals(List.of(1.0, "x"), back.get("l"));
  }

  @Test
  void errorsSayWhere() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,}"));
    assertEquals("JSON at offset 7: a quoted key expected", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
    assertTrue(e.getMessage().contains("duplicate key \"a\""), e.getMessage());
  }
}
