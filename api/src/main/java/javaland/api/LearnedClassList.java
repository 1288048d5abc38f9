package javaland.api;

import java.util.List;

/** {@code GET /learned-classes} (schema LearnedClassList): the store's version and every entry, by command name. */
public record LearnedClassList(long version, List<LearnedClass> classes) {
  public LearnedClassList {
    classes = classes == null ? List.of() : List.copyOf(classes);
  }
}
