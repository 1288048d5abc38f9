package javaland.testbed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JL_FILE lines of the results port become files next to the logs; bad ones are reported, not saved. */
class GuestFilesTest {
  @TempDir Path logs;

  @Test
  void goodLinesAreSavedAndBadOnesSkipped() throws Exception {
    byte[] body = {(byte) 0x1f, (byte) 0x8b, 0, 1, 2, 3};
    List<String> said = new ArrayList<>();
    List<Path> saved = VmTestBed.saveGuestFiles(List.of(
        "JL_RESULT fidelity {\"scenario\":\"fidelity\"}",
        "JL_FILE fidelity.jlt.gz " + Base64.getEncoder().encodeToString(body),
        "JL_FILE ../escape.gz AAAA",
        "JL_FILE garbled.gz !!notbase64!!"), logs, "20260101-000000-boot1", said::add);
    assertEquals(List.of(logs.resolve("20260101-000000-boot1-fidelity.jlt.gz")), saved);
    assertArrayEquals(body, Files.readAllBytes(saved.getFirst()));
    assertEquals(3, said.size(), said::toString);
    assertTrue(said.get(1).contains("bad name"), said::toString);
    assertTrue(said.get(2).contains("could not save garbled.gz"), said::toString);
    try (var files = Files.list(logs)) {
      assertEquals(1, files.count(), "nothing else written");
    }
  }
}
