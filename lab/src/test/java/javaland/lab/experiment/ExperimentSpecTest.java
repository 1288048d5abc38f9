package javaland.lab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javaland.lab.experiment.SpecException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javaland.runtime.kernel.KernelKnob;

/** Every kind of spec error names its key and line; a valid spec expands into the right runs. */
class ExperimentSpecTest {
  @TempDir Path dir;

  private static final String VALID = """
      name: t
      seeds: 2
      cpus: 2
      duration: 100ms
      policies:
        - deadline
        - fifo
      workloads:
        - mix
      """;

  private ExperimentSpec parse(String yaml) throws SpecException {
    return ExperimentSpec.parse(yaml, "spec.yaml", dir);
  }

  /** The spec's problems; fails if it was valid. */
  private List<Problem> problems(String yaml) {
    return assertThrows(SpecException.class, () -> parse(yaml)).problems();
  }

  /** Exactly one problem, at {@code line}, for {@code key}, whose message contains {@code text}. */
  private Problem one(String yaml, int line, String key, String text) {
    List<Problem> ps = problems(yaml);
    assertEquals(1, ps.size(), ps.toString());
    Problem p = ps.get(0);
    assertEquals(line, p.line(), p.toString());
    assertEquals(key, p.key(), p.toString());
    assertTrue(p.message().contains(text), p.toString());
    assertTrue(p.toString().startsWith("spec.yaml:" + line + ": " + (key.isEmpty() ? "" : key + ": ")), p.toString());
    return p;
  }

  @Test
  void aValidSpecExpandsPoliciesGridsWorkloadsAndSeeds() throws Exception {
    ExperimentSpec s = parse("""
        name: grid
        seeds: [7, 9]
        topology: {llcs: 2, cores_per_llc: 2, threads_per_core: 2}
        kernel:
          idle_fastpath: [0, 1]
        policies:
          - deadline: {slice_max_us: [5000, 20000]}
          - fifo
        workloads:
          - synthetic: mix
            duration: 200ms
          - {synthetic: server, cpus: 2, duration: 1s, label: small-server}
        sim: {round_trip_us: 30, decide_ns: 100}
        """);
    assertEquals(List.of(7L, 9L), s.seeds());
    assertEquals(List.of("deadline[slice_max_us=5000,kernel.idle_fastpath=0]",
        "deadline[slice_max_us=5000,kernel.idle_fastpath=1]", "deadline[slice_max_us=20000,kernel.idle_fastpath=0]",
        "deadline[slice_max_us=20000,kernel.idle_fastpath=1]", "fifo[kernel.idle_fastpath=0]",
        "fifo[kernel.idle_fastpath=1]"), s.variants().stream().map(ExperimentSpec.Variant::label).toList());
    assertEquals(Map.of("slice_max_us", 5000.0, "kernel.idle_fastpath", 0.0), s.variants().get(0).settings());
    assertEquals(List.of("mix", "small-server"), s.workloads().stream().map(WorkloadSource::label).toList());
    assertEquals(8, s.workloads().get(0).topology().nrCpus());
    assertEquals(2, s.workloads().get(1).topology().nrCpus());
    assertEquals(6 * 2 * 2, s.runs());
    assertEquals(30_000, s.sim().roundTripNs());
    assertEquals(100, s.sim().decideNsPerTask());
    assertNull(s.output());
    assertEquals(false, s.variants().get(0).configure().kernel().on(KernelKnob.IDLE_FASTPATH));
  }

  @Test
  void seedsAsACountArePrecededByOne() throws Exception {
    assertEquals(List.of(1L, 2L), parse(VALID).seeds());
  }

  @Test
  void unknownKeysAreNamedWithTheirLine() {
    one(VALID + "threads: 4\n", 10, "threads", "unknown key");
    one(VALID.replace("  - mix", "  - synthetic: mix\n    cpu: 4"), 10, "workloads[0].cpu", "unknown key");
    one(VALID.replace("cpus: 2", "topology: {llcs: 1, cores: 2}"), 3, "topology.cores", "unknown key");
  }

  @Test
  void wrongTypesSayWhatWasExpected() {
    one(VALID.replace("seeds: 2", "seeds: three"), 2, "seeds", "expected a count");
    one(VALID.replace("cpus: 2", "cpus: 2.5"), 3, "cpus", "expected an integer, got the number 2.5");
    one(VALID.replace("duration: 100ms", "duration: 100"), 4, "duration", "expected a duration");
    one(VALID.replace("duration: 100ms", "duration: soon"), 4, "duration", "'soon' is not a duration");
    one(VALID.replace("  - deadline\n", "  - deadline: {slice_max_us: \"5000\"}\n"), 6,
        "policies[0].deadline.slice_max_us", "expected a number, got the string '5000'");
    one("name: t\nduration: 1s\npolicies: deadline\nworkloads: [mix]\n", 3, "policies", "expected a non-empty list");
  }

  @Test
  void outOfRangeValuesUseThePolicysOwnRanges() {
    one(VALID.replace("  - deadline\n", "  - deadline:\n      slice_max_us: [5000, 99999999]\n"), 7,
        "policies[0].deadline.slice_max_us[1]", "99999999 is out of range 100..100000 us");
    one(VALID + "kernel.idle_fastpath: [0, 2]\n", 10, "kernel.idle_fastpath[1]", "2 is out of range 0..1");
    one(VALID + "kernel:\n  rescue_ms: 0\n", 11, "kernel.rescue_ms", "0 is out of range 1..4000 ms");
    one(VALID.replace("cpus: 2", "cpus: 0"), 3, "cpus", "0 is out of range 1..1024");
    one(VALID.replace("seeds: 2", "seeds: 0"), 2, "seeds", "out of range 1..10000");
  }

  @Test
  void unknownPoliciesParametersAndWorkloadsListTheChoices() {
    one(VALID.replace("  - fifo", "  - cfs"), 7, "policies[1]", "unknown policy 'cfs'; choose one of deadline, fifo, example");
    Problem p = one(VALID.replace("  - fifo", "  - fifo: {slice_max_us: 5000}"), 7, "policies[1].fifo.slice_max_us",
        "unknown parameter of policy fifo");
    assertTrue(p.message().contains("slice_us") && p.message().contains("kernel.rescue_ms"), p.message());
    one(VALID + "kernel: {turbo: 1}\n", 10, "kernel.turbo", "unknown kernel parameter");
    one(VALID.replace("  - mix", "  - chaos"), 9, "workloads[0]", "unknown synthetic workload 'chaos'");
    one(VALID.replace("  - mix", "  - synthetic: chaos"), 9, "workloads[0].synthetic", "unknown synthetic workload");
  }

  @Test
  void aMissingTraceFileIsNamedWithItsPath() {
    Problem p = one(VALID.replace("  - mix", "  - trace: traces/none.jlt"), 9, "workloads[0].trace", "no such readable file");
    assertTrue(p.message().contains(dir.resolve("traces/none.jlt").toString()), p.message());
  }

  @Test
  void traceWorkloadsTakeNoDurationAndKeepTheirOwnMachineUnlessGivenOne() throws Exception {
    Files.writeString(dir.resolve("t.jlt"), "not a trace");
    one(VALID.replace("  - mix", "  - trace: t.jlt\n    duration: 1s"), 10, "workloads[0].duration",
        "applies to synthetic workloads only");
    one(VALID.replace("  - mix", "  - {trace: t.jlt, synthetic: mix}"), 9, "workloads[0]", "give exactly one of");
    ExperimentSpec s = parse(VALID.replace("  - mix", "  - trace: t.jlt\n  - {trace: t.jlt, cpus: 3, label: t3}"));
    TraceSource own = (TraceSource) s.workloads().get(0);
    assertEquals("t", own.label());
    assertEquals(dir.resolve("t.jlt"), own.path());
    assertEquals(3, s.workloads().get(1).topology().nrCpus());
  }

  @Test
  void requiredKeysAreNamed() {
    List<Problem> ps = problems("seeds: 1\n");
    assertEquals(List.of("name", "policies", "workloads"), ps.stream().map(Problem::key).toList(), ps.toString());
    one(VALID.replace("duration: 100ms\n", ""), 8, "workloads[0]", "needs a duration");
  }

  @Test
  void yamlSyntaxErrorsAndDuplicateKeysGiveTheLine() {
    List<Problem> ps = problems("name: t\npolicies: [deadline\nworkloads: [mix]\n");
    assertEquals(1, ps.size());
    assertTrue(ps.get(0).message().startsWith("not valid YAML"), ps.toString());
    assertTrue(ps.get(0).line() >= 2, ps.toString());
    Problem dup = problems(VALID + "seeds: 3\n").get(0);
    assertEquals(10, dup.line());
    assertTrue(dup.message().contains("'seeds' appears twice (first on line 2)"), dup.toString());
    one("- a\n- b\n", 1, "", "the spec must be a mapping");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    SpecException e = assertThrows(SpecException.class, () -> parse("""
        name: t
        seeds: [1, 1]
        cpus: 2
        duration: 1s
        policies:
          - deadline: {slice_max_us: 1}
          - nope
        workloads: [mix, mix]
        colour: blue
        """));
    List<String> keys = e.problems().stream().map(p -> p.key() + "@" + p.line()).toList();
    assertEquals(List.of("colour@9", "seeds[1]@2", "policies[0].deadline.slice_max_us@6", "policies[1]@7",
        "workloads[1]@8"), keys, e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid experiment spec (5 problems):"), e.getMessage());
  }

  @Test
  void duplicateVariantsAndGridOverlapsAreRefused() {
    one(VALID.replace("  - fifo", "  - deadline"), 7, "policies[1]", "deadline is already run by policies[0]");
    one(VALID.replace("  - fifo", "  - fifo: {kernel.slice_us: 1000}") + "kernel.slice_us: 2000\n", 7,
        "policies[1].fifo.kernel.slice_us", "also set by the top-level kernel grid (line 10)");
  }

  @Test
  void loadReadsAFileAndResolvesTracesNextToIt() throws Exception {
    Path f = dir.resolve("exp.yaml");
    Files.writeString(f, VALID);
    ExperimentSpec s = ExperimentSpec.load(f);
    assertEquals(f.toString(), s.file());
    assertEquals(VALID, s.text());
    SpecException e = assertThrows(SpecException.class, () -> ExperimentSpec.load(dir.resolve("missing.yaml")));
    assertTrue(e.getMessage().contains("cannot read the spec"), e.getMessage());
  }

  @Test
  void durationsParseWithUnits() {
    assertEquals(1_500_000_000L, WorkloadSource.parseDuration("1.5s"));
    assertEquals(300_000L, WorkloadSource.parseDuration("300us"));
    assertEquals(120_000_000_000L, WorkloadSource.parseDuration("2m"));
    assertNull(WorkloadSource.parseDuration("2 fortnights"));
    assertEquals("1500ms", WorkloadSource.formatDuration(1_500_000_000L));
  }
}
