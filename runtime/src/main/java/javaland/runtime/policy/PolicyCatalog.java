package javaland.runtime.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import javaland.sdk.Policy;

/**
 * The policies this process can run, found with {@link ServiceLoader}: those on the class path
 * (the shipped ones, javaland.policies) and those in jars given on the command line
 * ({@code --policy-jar}). Nothing lists them by hand. Names are unique: a jar cannot shadow a
 * policy that is already known.
 */
public final class PolicyCatalog {
  /** The policy {@code run} takes when none is named. */
  public static final String DEFAULT = "deadline";

  private static volatile PolicyCatalog installed;

  private final Map<String, Entry> byName;

  /** A policy found: its name, one sentence, where it came from, and how to make a fresh one. */
  public record Entry(String name, String description, String source, Supplier<Policy> factory) {}

  private PolicyCatalog(Map<String, Entry> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** The policies on the class path, then those in {@code jars}; a problem names the jar and class. */
  public static PolicyCatalog load(List<Path> jars) {
    Map<String, Entry> found = new LinkedHashMap<>();
    collect(ServiceLoader.load(Policy.class, PolicyCatalog.class.getClassLoader()), null, "the class path", found);
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("--policy-jar " + jar + ": no such file");
      }
      URLClassLoader loader;
      try {
        loader = new URLClassLoader("policy-jar " + jar.getFileName(), new URL[] {jar.toUri().toURL()},
            PolicyCatalog.class.getClassLoader());
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("--policy-jar " + jar + ": " + e.getMessage(), e);
      }
      int before = found.size();
      collect(ServiceLoader.load(Policy.class, loader), loader, jar.toString(), found);
      if (found.size() == before) {
        try {
          loader.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("--policy-jar " + jar + ": the jar declares no policy; list its classes in"
            + " META-INF/services/" + Policy.class.getName() + " (docs/write-your-own-scheduler.md)");
      }
    }
    return new PolicyCatalog(found);
  }

  /** The shipped policies only (whatever the class path holds). */
  public static PolicyCatalog builtIn() {
    return load(List.of());
  }

  /**
   * The policies this process runs: the class path's, plus the jars {@link #install} was given
   * ({@code --policy-jar}). Like the class path ServiceLoader reads, it is one fact of the process,
   * so it is kept once here rather than handed through every layer that names a policy.
   */
  public static PolicyCatalog installed() {
    PolicyCatalog c = installed;
    if (c == null) {
      synchronized (PolicyCatalog.class) {
        if (installed == null) installed = builtIn();
        c = installed;
      }
    }
    return c;
  }

  /** Makes the class path's policies and those in {@code jars} the process's; errors name the jar. */
  public static synchronized PolicyCatalog install(List<Path> jars) {
    installed = load(jars);
    return installed;
  }

  /** Adds the policies {@code loader} finds whose classes {@code only} loaded (any, when null). */
  private static void collect(ServiceLoader<Policy> loader, ClassLoader only, String source, Map<String, Entry> into) {
    List<ServiceLoader.Provider<Policy>> providers = new ArrayList<>();
    try {
      loader.stream().forEach(providers::add);
    } catch (ServiceConfigurationError e) {
      throw new IllegalArgumentException(source + ": a listed policy cannot be loaded: " + e.getMessage(), e);
    }
    for (ServiceLoader.Provider<Policy> p : providers) {
      // a jar's loader also sees the class path's services, which are already in the catalog
      if (only != null && p.type().getClassLoader() != only) continue;
      String type = p.type().getName();
      Policy probe;
      try {
        probe = p.get();
      } catch (ServiceConfigurationError | RuntimeException e) {
        throw new IllegalArgumentException(source + ": policy " + type + " cannot be made: " + e.getMessage(), e);
      }
      String name = probe.name();
      if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
        throw new IllegalArgumentException(source + ": policy " + type + " has a bad name '" + name
            + "' (lower case letters, digits and '-')");
      }
      Entry old = into.get(name);
      if (old != null) {
        throw new IllegalArgumentException(source + ": policy name '" + name + "' of " + type
            + " is already taken by " + old.source());
      }
      into.put(name, new Entry(name, probe.description(), type + " from " + source, p::get));
    }
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  public List<Entry> entries() {
    return List.copyOf(byName.values());
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** A fresh instance of policy {@code name}; an unknown name is an error listing the known ones. */
  public Policy create(String name) {
    Entry e = byName.get(name);
    if (e == null) {
      throw new IllegalArgumentException("unknown policy '" + name + "'; choose one of " + String.join(", ", byName.keySet())
          + " (or add one with --policy-jar)");
    }
    return e.factory().get();
  }
}
