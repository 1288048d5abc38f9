package javaland.runtime.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The policies javaland ships, by the name used on the command line and in the API. */
public final class Policies {
  public static final String DEFAULT = "deadline";

  private static final Map<String, Supplier<Policy>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("deadline", DeadlinePolicy::new);
    BY_NAME.put("fifo", FifoPolicy::new);
    BY_NAME.put("example", ExamplePolicy::new);
  }

  private Policies() {}

  public static Set<String> names() {
    return java.util.Collections.unmodifiableSet(BY_NAME.keySet());
  }

  public static Policy create(String name) {
    Supplier<Policy> s = BY_NAME.get(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown policy '" + name + "'; choose one of " + String.join(", ", names()));
    }
    return s.get();
  }
}
