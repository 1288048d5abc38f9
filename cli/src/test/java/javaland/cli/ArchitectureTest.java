package javaland.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module layering, the policy SDK's boundary and the absence of package cycles, checked on
 * every main class of every module (cli depends on all of them, so its test class path holds
 * them all). The layering is the one stated in the root pom:
 *
 * <pre>
 *   sdk &lt;- policies
 *   sdk &lt;- models &lt;- {api, telemetry} &lt;- runtime &lt;- trace &lt;- lab &lt;- cli
 *   models, api, telemetry &lt;- learner &lt;- lab          (the learner never sees the runtime)
 *   testbed &lt;- cli                                   (testbed uses no javaland module)
 * </pre>
 *
 * Each rule is also run against a few classes made here with the class-file API that break it,
 * so a rule that silently stopped matching anything would fail too.
 */
class ArchitectureTest {
  /** Each module (javaland.NAME..) and the modules it uses directly; what they use it may use too. */
  static final Map<String, List<String>> LAYERS = layers();

  /** Packages outside javaland a module must not use (and so must not have on its class path). */
  static final Map<String, List<String>> BANNED = Map.of("learner", List.of("io.vertx.ext.web", "io.vertx.ext.auth"));

  private static Map<String, List<String>> layers() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("sdk", List.of());
    m.put("policies", List.of("sdk"));
    m.put("models", List.of("sdk"));
    m.put("api", List.of("models"));
    m.put("telemetry", List.of("models"));
    // policies is on the runtime's class path at run time only: PolicyCatalog finds them by ServiceLoader.
    m.put("runtime", List.of("api", "telemetry"));
    m.put("trace", List.of("runtime"));
    m.put("learner", List.of("api", "telemetry"));
    m.put("lab", List.of("trace", "learner"));
    m.put("testbed", List.of());
    m.put("cli", List.of("lab", "testbed"));
    return m;
  }

  /** Main code only: neither test classes directories nor test jars (runtime's, trace's). */
  static final ImportOption MAIN_ONLY = location -> !location.contains("/test-classes/")
      && !location.matches(Pattern.compile(".*-tests\\.jar!/.*"));

  private static JavaClasses main;

  @BeforeAll
  static void importMainCode() {
    main = new ClassFileImporter().withImportOption(MAIN_ONLY).importPackages("javaland");
  }

  @Test
  void theImportSeesEveryModuleAndNoTest() {
    // ArchUnit skips a class file it cannot read: make sure the JDK 25 class files were read.
    for (String module : LAYERS.keySet()) {
      assertTrue(main.stream().anyMatch(c -> module(c).equals(module)), "no main class of module " + module + " imported");
    }
    assertTrue(main.contain("javaland.sdk.Policy") && main.contain("javaland.cli.Main") && main.contain("javaland.policies.FifoPolicy"));
    assertFalse(main.contain(ArchitectureTest.class), "test classes were imported");
    assertTrue(main.size() > 300, "only " + main.size() + " classes imported");
  }

  @Test
  void modulesDependAlongTheLayering() {
    layering().check(main);
  }

  @Test
  void policiesSeeOnlyTheSdk() {
    policiesSeeOnlyTheSdkRule().check(main);
  }

  @Test
  void theSdkUsesOnlyJava() {
    sdkUsesOnlyJava().check(main);
  }

  @Test
  void shippedPoliciesAreFoundNotNamed() {
    shippedPoliciesAreNotNamed().check(main);
  }

  @Test
  void noPackageCycles() {
    packageCycles().check(main);
  }

  // ---- the rules ----

  /** A module's classes use only classes of the modules below it, and none of its banned packages. */
  static ArchRule layering() {
    Map<String, Set<String>> mayUse = new LinkedHashMap<>();
    LAYERS.keySet().forEach(m -> mayUse.put(m, below(m)));
    ArchCondition<JavaClass> condition = new ArchCondition<>("use only the modules below their own (" + layersText() + ")") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        String from = module(c);
        Set<String> allowed = mayUse.get(from);
        if (allowed == null) {
          events.add(SimpleConditionEvent.violated(c, c.getName() + " is in javaland." + from + ", no module of the layering (ArchitectureTest.LAYERS)"));
          return;
        }
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          if (d.getTargetClass().isArray()) continue; // ArchUnit adds the element type as a dependency of its own
          JavaClass target = d.getTargetClass();
          String pkg = target.getPackageName();
          if (pkg.startsWith("javaland.")) {
            String to = module(target);
            if (!to.equals(from) && !allowed.contains(to)) {
              events.add(SimpleConditionEvent.violated(d, from + " -> " + to + " (" + from + " may use " + allowed + "): " + d.getDescription()));
            }
          }
          for (String banned : BANNED.getOrDefault(from, List.of())) {
            if (inPackage(pkg, banned)) {
              events.add(SimpleConditionEvent.violated(d, from + " -> " + banned + " (banned in " + from + "): " + d.getDescription()));
            }
          }
        }
      }
    };
    return classes().that().resideInAPackage("javaland..").should(condition).allowEmptyShould(true);
  }

  /**
   * A policy (a class of javaland.policies, or any class that implements javaland.sdk.Policy)
   * uses only the SDK, java.*, and its own module or nested classes.
   */
  static ArchRule policiesSeeOnlyTheSdkRule() {
    return classes().that().resideInAPackage("javaland.policies..").or().areAssignableTo("javaland.sdk.Policy").and().areNotInterfaces()
        .should(useOnly("javaland.sdk and java.*", t -> inPackage(t.getPackageName(), "javaland.sdk") || inPackage(t.getPackageName(), "java")
            || inPackage(t.getPackageName(), "javaland.policies")))
        .allowEmptyShould(true);
  }

  /** The SDK is all a policy sees, so it brings nothing but itself and java.*. */
  static ArchRule sdkUsesOnlyJava() {
    return classes().that().resideInAPackage("javaland.sdk..")
        .should(useOnly("java.*", t -> inPackage(t.getPackageName(), "javaland.sdk") || inPackage(t.getPackageName(), "java")))
        .allowEmptyShould(true);
  }

  /**
   * The shipped policies are found by ServiceLoader (PolicyCatalog in javaland.runtime.policy):
   * no other main class names one, neither as a type nor as a class name in a string constant.
   */
  static ArchRule shippedPoliciesAreNotNamed() {
    ArchCondition<JavaClass> condition = new ArchCondition<>("name no shipped policy class (javaland.policies.*)") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          if (d.getTargetClass().isArray()) continue; // ArchUnit adds the element type as a dependency of its own
          if (inPackage(d.getTargetClass().getPackageName(), "javaland.policies")) {
            events.add(SimpleConditionEvent.violated(d, c.getName() + " names a shipped policy: " + d.getDescription()));
          }
        }
        for (String s : stringConstants(c)) {
          if (s.startsWith("javaland.policies.") || s.startsWith("javaland/policies/")) {
            events.add(SimpleConditionEvent.violated(c, c.getName() + " names a shipped policy in the string constant \"" + s + "\""));
          }
        }
      }
    };
    return classes().that().resideInAPackage("javaland..").and().resideOutsideOfPackages("javaland.policies..", "javaland.runtime.policy..")
        .should(condition).allowEmptyShould(true);
  }

  /** Every package of main code is its own slice: no two may reach each other. */
  static ArchRule packageCycles() {
    return slices().matching("javaland.(**)").should().beFreeOfCycles().allowEmptyShould(true);
  }

  // ---- helpers ----

  /** The module a javaland class belongs to: the package segment after "javaland.". */
  static String module(JavaClass c) {
    String pkg = c.getPackageName();
    if (!pkg.startsWith("javaland.")) return "";
    String rest = pkg.substring("javaland.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  /** Every module below m: those it uses directly and, transitively, what they use. */
  static Set<String> below(String m) {
    Set<String> seen = new TreeSet<>();
    List<String> todo = new ArrayList<>(LAYERS.getOrDefault(m, List.of()));
    while (!todo.isEmpty()) {
      String next = todo.removeLast();
      if (seen.add(next)) todo.addAll(LAYERS.getOrDefault(next, List.of()));
    }
    return seen;
  }

  private static String layersText() {
    return LAYERS.entrySet().stream().map(e -> e.getKey() + " uses " + (e.getValue().isEmpty() ? "no module" : String.join(", ", e.getValue())))
        .collect(joining("; "));
  }

  private static boolean inPackage(String pkg, String root) {
    return pkg.equals(root) || pkg.startsWith(root + ".");
  }

  /** The top-level class's name (by the binary name, so it holds for classes ArchUnit did not import too). */
  private static String topLevel(JavaClass c) {
    String name = c.getName();
    int dollar = name.indexOf('$');
    return dollar < 0 ? name : name.substring(0, dollar);
  }

  /** Every dependency's target passes allowed, is primitive, or is the class itself or one nested in its top-level class. */
  private static ArchCondition<JavaClass> useOnly(String what, Predicate<JavaClass> allowed) {
    return new ArchCondition<>("use only " + what) {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        String home = topLevel(c);
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          if (d.getTargetClass().isArray()) continue; // ArchUnit adds the element type as a dependency of its own
          JavaClass t = d.getTargetClass();
          if (t.isPrimitive() || allowed.test(t) || topLevel(t).equals(home)) continue;
          events.add(SimpleConditionEvent.violated(d, c.getName() + " uses " + t.getName() + ": " + d.getDescription()));
        }
      }
    };
  }

  /** The string constants (ldc) in a class file, read with the JDK's class-file API. */
  private static List<String> stringConstants(JavaClass c) {
    if (c.getSource().isEmpty()) return List.of();
    byte[] bytes;
    try (InputStream in = c.getSource().get().getUri().toURL().openStream()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + c.getName() + " from " + c.getSource().get().getUri(), e);
    }
    List<String> out = new ArrayList<>();
    for (PoolEntry e : ClassFile.of().parse(bytes).constantPool()) {
      if (e instanceof StringEntry s) out.add(s.stringValue());
    }
    return out;
  }

  // ---- each rule can fail: the same rules against classes made here that break them ----

  @TempDir Path dir;

  @Test
  void layeringCatchesEachForbiddenEdge() {
    JavaClasses bad = new Synth(dir)
        .cls("javaland.learner.SeesRuntime", "javaland.runtime.Scheduler")
        .cls("javaland.learner.SeesWeb", "io.vertx.ext.web.Router")
        .cls("javaland.learner.SeesAuth", "io.vertx.ext.auth.User")
        .cls("javaland.models.SeesApi", "javaland.api.ApiCodec")
        .cls("javaland.api.SeesTelemetry", "javaland.telemetry.Telemetry")
        .cls("javaland.runtime.SeesTrace", "javaland.trace.Recorder")
        .cls("javaland.trace.SeesLearner", "javaland.learner.Learner")
        .cls("javaland.runtime.SeesCli", "javaland.cli.Main")
        .cls("javaland.lab.SeesTestbed", "javaland.testbed.TestBed")
        .cls("javaland.testbed.SeesModels", "javaland.models.Models")
        .cls("javaland.sdk.SeesModels", "javaland.models.Models")
        .cls("javaland.lab.SeesPolicies", "javaland.policies.FifoPolicy")
        .cls("javaland.newroom.Unknown", "java.lang.String")
        .load();
    String report = violations(layering(), bad, 13);
    for (String name : List.of("SeesRuntime", "SeesWeb", "SeesAuth", "javaland.models.SeesApi", "SeesTelemetry", "SeesTrace", "SeesLearner",
        "SeesCli", "SeesTestbed", "javaland.testbed.SeesModels", "javaland.sdk.SeesModels", "SeesPolicies", "javaland.newroom.Unknown")) {
      assertTrue(report.contains(name), name + " not named in:\n" + report);
    }
    JavaClasses good = new Synth(dir.resolve("good"))
        .cls("javaland.lab.UsesAll", "javaland.trace.Recorder", "javaland.learner.Learner", "javaland.runtime.Scheduler", "javaland.sdk.Policy")
        .cls("javaland.learner.UsesApi", "javaland.api.ApiClient", "javaland.telemetry.Telemetry", "javaland.models.Models", "io.vertx.core.Vertx")
        .cls("javaland.cli.UsesTestbed", "javaland.testbed.TestBed", "javaland.lab.Lab")
        .cls("javaland.testbed.UsesJackson", "com.fasterxml.jackson.databind.ObjectMapper")
        .load();
    violations(layering(), good, 0);
  }

  @Test
  void policyRuleCatchesAPolicyBeyondTheSdk() {
    JavaClasses bad = new Synth(dir)
        .cls("javaland.policies.UsesModels", "javaland.models.params.Schema")
        .policy("javaland.lab.OutOfTreePolicy", "com.fasterxml.jackson.databind.ObjectMapper")
        .policy("javaland.policies.UsesRuntime", "javaland.runtime.Scheduler[]")
        .load();
    String report = violations(policiesSeeOnlyTheSdkRule(), bad, 3);
    assertTrue(report.contains("javaland.policies.UsesModels uses javaland.models.params.Schema"), report);
    assertTrue(report.contains("javaland.lab.OutOfTreePolicy uses com.fasterxml.jackson.databind.ObjectMapper"), report);
    assertTrue(report.contains("javaland.policies.UsesRuntime uses javaland.runtime.Scheduler"), report);
    JavaClasses good = new Synth(dir.resolve("good"))
        .policy("javaland.policies.Fine", "javaland.sdk.Param", "java.util.List", "long[]", "javaland.policies.Fine$Inner", "javaland.policies.Other")
        .policy("javaland.lab.FinePolicy", "javaland.sdk.WaitingTasks", "javaland.lab.FinePolicy$State")
        .cls("javaland.lab.NotAPolicy", "com.fasterxml.jackson.databind.ObjectMapper")
        .load();
    violations(policiesSeeOnlyTheSdkRule(), good, 0);
  }

  @Test
  void sdkRuleCatchesAnImportBeyondJava() {
    JavaClasses bad = new Synth(dir)
        .cls("javaland.sdk.UsesJackson", "com.fasterxml.jackson.databind.ObjectMapper")
        .cls("javaland.sdk.inner.UsesUnsafe", "sun.misc.Unsafe")
        .cls("javaland.sdk.UsesJavax", "javax.annotation.Nullable")
        .load();
    String report = violations(sdkUsesOnlyJava(), bad, 3);
    assertTrue(report.contains("javaland.sdk.UsesJackson uses com.fasterxml.jackson.databind.ObjectMapper"), report);
    assertTrue(report.contains("javaland.sdk.inner.UsesUnsafe uses sun.misc.Unsafe"), report);
    assertTrue(report.contains("javaland.sdk.UsesJavax uses javax.annotation.Nullable"), report);
    violations(sdkUsesOnlyJava(), new Synth(dir.resolve("good")).cls("javaland.sdk.Fine", "java.util.Map", "javaland.sdk.Policy", "int").load(), 0);
  }

  @Test
  void namingRuleCatchesATypeAndAStringConstant() {
    JavaClasses bad = new Synth(dir)
        .cls("javaland.cli.PicksFifo", "javaland.policies.FifoPolicy")
        .named("javaland.lab.LoadsByName", "javaland.policies.DeadlinePolicy")
        .cls("javaland.runtime.canary.NotTheCatalog", "javaland.policies.ExamplePolicy")
        .load();
    String report = violations(shippedPoliciesAreNotNamed(), bad, 3);
    assertTrue(report.contains("javaland.cli.PicksFifo names a shipped policy"), report);
    assertTrue(report.contains("javaland.lab.LoadsByName names a shipped policy in the string constant \"javaland.policies.DeadlinePolicy\""), report);
    assertTrue(report.contains("javaland.runtime.canary.NotTheCatalog names a shipped policy"), report);
    JavaClasses good = new Synth(dir.resolve("good"))
        .cls("javaland.runtime.policy.Catalog", "javaland.policies.FifoPolicy")
        .cls("javaland.policies.ExtendsFifo", "javaland.policies.FifoPolicy")
        .named("javaland.cli.SaysFifo", "fifo")
        .load();
    violations(shippedPoliciesAreNotNamed(), good, 0);
  }

  @Test
  void cycleRuleCatchesTwoPackagesThatReachEachOther() {
    JavaClasses bad = new Synth(dir)
        .cls("javaland.lab.alpha.A", "javaland.lab.beta.B")
        .cls("javaland.lab.beta.B", "javaland.lab.gamma.C")
        .cls("javaland.lab.gamma.C", "javaland.lab.alpha.A")
        .load();
    EvaluationResult result = packageCycles().evaluate(bad);
    assertTrue(result.hasViolation());
    String report = result.getFailureReport().toString();
    for (String name : List.of("javaland.lab.alpha.A", "javaland.lab.beta.B", "javaland.lab.gamma.C")) {
      assertTrue(report.contains(name), name + " not named in:\n" + report);
    }
    JavaClasses good = new Synth(dir.resolve("good"))
        .cls("javaland.lab.alpha.A", "javaland.lab.beta.B")
        .cls("javaland.lab.beta.B", "javaland.lab.gamma.C")
        .cls("javaland.lab.gamma.C")
        .load();
    assertFalse(packageCycles().evaluate(good).hasViolation(), () -> packageCycles().evaluate(good).getFailureReport().toString());
  }

  /** Evaluates rule on classes and checks the number of violations; returns the report. */
  private static String violations(ArchRule rule, JavaClasses classes, int expected) {
    EvaluationResult result = rule.evaluate(classes);
    String report = result.getFailureReport().toString();
    assertEquals(expected, result.getFailureReport().getDetails().size(), report);
    return report;
  }

  /** Writes tiny class files with the JDK's class-file API and imports them. */
  private static final class Synth {
    private final Path root;

    Synth(Path root) {
      this.root = root;
    }

    /** A class with one field of each given type ("a.B", "a.B[]", "int"). */
    Synth cls(String name, String... fieldTypes) {
      return write(name, List.of(), fieldTypes, null);
    }

    /** A class implementing javaland.sdk.Policy, with one field of each given type. */
    Synth policy(String name, String... fieldTypes) {
      return write(name, List.of(ClassDesc.of("javaland.sdk.Policy")), fieldTypes, null);
    }

    /** A class whose one method loads the string constant. */
    Synth named(String name, String constant) {
      return write(name, List.of(), new String[0], constant);
    }

    private Synth write(String name, List<ClassDesc> interfaces, String[] fieldTypes, String constant) {
      byte[] bytes = ClassFile.of().build(ClassDesc.of(name), cb -> {
        cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_SUPER).withSuperclass(ConstantDescs.CD_Object).withInterfaceSymbols(interfaces);
        for (int i = 0; i < fieldTypes.length; i++) cb.withField("f" + i, desc(fieldTypes[i]), ClassFile.ACC_PRIVATE);
        if (constant != null) {
          cb.withMethodBody("run", MethodTypeDesc.of(ConstantDescs.CD_void), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
              code -> code.ldc(constant).pop().return_());
        }
      });
      try {
        Path file = root.resolve(name.replace('.', '/') + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    private static ClassDesc desc(String type) {
      if (type.endsWith("[]")) return desc(type.substring(0, type.length() - 2)).arrayType();
      return switch (type) {
        case "int" -> ConstantDescs.CD_int;
        case "long" -> ConstantDescs.CD_long;
        default -> ClassDesc.of(type);
      };
    }

    JavaClasses load() {
      return new ClassFileImporter().importPath(root);
    }
  }
}
