package javaland.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgramCostTest {
  // the fdinfo of a struct_ops program as Linux 6.x prints it (tabs after the colons)
  private static final String FDINFO = """
      pos:\t0
      flags:\t02000002
      mnt_id:\t15
      ino:\t2071
      prog_type:\t27
      prog_jited:\t1
      prog_tag:\t1c5bd3a4b9f0c0a7
      memlock:\t4096
      prog_id:\t52
      run_time_ns:\t123456789
      run_cnt:\t1000
      recursion_misses:\t0
      verified_insns:\t812
      """;

  @Test
  void readsRunCountAndTimeFromFdinfo() {
    ProgramCost c = ProgramCost.fromFdinfo("jl_enqueue", FDINFO);
    assertEquals("jl_enqueue", c.name());
    assertEquals(1000, c.runs());
    assertEquals(123456789, c.runNs());
    assertEquals(123456, c.nsPerRun());
  }

  @Test
  void aKernelWithoutTheCountsGivesZero() {
    ProgramCost c = ProgramCost.fromFdinfo("jl_enqueue", "pos:\t0\nprog_id:\t52\n");
    assertEquals(0, c.runs());
    assertEquals(0, c.nsPerRun());
  }

  @Test
  void aGarbledCountIsAnErrorNamingTheProgramAndLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProgramCost.fromFdinfo("jl_dispatch", "run_cnt:\tmany\n"));
    assertTrue(e.getMessage().contains("jl_dispatch") && e.getMessage().contains("run_cnt:\tmany"), e.getMessage());
  }
}
