package javaland.lab.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javaland.runtime.kernel.sim.Workload;
import javaland.trace.ImportOptions;
import javaland.trace.TraceFormatException;
import javaland.trace.TraceImporter;
import javaland.trace.TraceParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gzip-compressed traces (the VM saves its recordings as .jlt.gz) and files that hold no trace at all. */
class CompressedTraceTest {
  @TempDir Path dir;

  private static Path resource(String name) throws Exception {
    return Path.of(CompressedTraceTest.class.getResource("/traces/" + name).toURI());
  }

  private Path gzip(Path in, String name) throws IOException {
    Path out = dir.resolve(name);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out))) {
      Files.copy(in, o);
    }
    return out;
  }

  private static String replayJson(TraceWorkload tw) {
    // the trace's name is the file's; everything after it must be the same
    String j = Replay.run(tw, "deadline", Map.of(), Replay.Options.defaults()).toJson();
    return j.substring(j.indexOf("\"format\""));
  }

  @Test
  void aCompressedTraceReplaysAsTheSameTraceUncompressed() throws Exception {
    Path text = resource("ftrace-trace.txt");
    Path jlt = dir.resolve("t.jlt");
    TraceImporter.convert(text, jlt, ImportOptions.lenient());
    for (Path plain : new Path[] {text, jlt}) {
      TraceWorkload a = TraceWorkload.load(plain);
      TraceWorkload b = TraceWorkload.load(gzip(plain, plain.getFileName() + ".gz"));
      assertEquals(a.info().events(), b.info().events(), plain.toString());
      assertEquals(a.info().format(), b.info().format());
      assertTrue(a.info().events() > 0);
      assertEquals(replayJson(a), replayJson(b), plain + " and its gzip replay alike");
    }
  }

  @Test
  void aCompressedTraceCutShortIsReadUpToItsLastWholeChunkOrRefusedWhenStrict() throws Exception {
    Path jlt = dir.resolve("big.jlt"); // a recorded simulation: many 64 KiB chunks
    Workload w = Workload.builder("big", 1).interactive(40, 200 * Workload.US, 300 * Workload.US, 400 * Workload.MS).build();
    ReplayTest.record(w, "deadline", jlt);
    TraceWorkload whole = TraceWorkload.load(jlt);
    Path gz = gzip(jlt, "big.jlt.gz");
    byte[] all = Files.readAllBytes(gz);
    Path cut = dir.resolve("cut.jlt.gz");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    TraceWorkload tw = TraceWorkload.load(cut);
    assertTrue(tw.info().truncated(), "said to be truncated");
    assertTrue(tw.info().events() > 0 && tw.info().events() < whole.info().events(),
        tw.info().events() + " of " + whole.info().events() + " events");
    TraceFormatException e = assertThrows(TraceFormatException.class,
        () -> TraceWorkload.load(cut, TraceWorkload.Options.defaults().withStrict(true)));
    assertTrue(e.getMessage().startsWith(cut + ": at byte "), e.getMessage());
  }

  @Test
  void corruptCompressedDataIsAnErrorNamingTheFile() throws Exception {
    Path gz = gzip(resource("perf-script.txt"), "bad.txt.gz");
    byte[] b = Files.readAllBytes(gz);
    for (int i = 20; i < 60; i++) b[i] ^= (byte) 0x5a; // the deflate stream, past the 10-byte header
    Files.write(gz, b);
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceWorkload.load(gz));
    assertTrue(e.getMessage().startsWith(gz + ": at byte ") && e.getMessage().contains("gzip"), e.getMessage());
  }

  @Test
  void aFileWithNoSchedulerEventIsAnErrorEvenWhenLenient() throws Exception {
    Path junk = dir.resolve("notes.txt");
    Files.writeString(junk, "shopping list\nmilk\neggs\n", StandardCharsets.UTF_8);
    TraceParseException e = assertThrows(TraceParseException.class, () -> TraceWorkload.load(junk));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().startsWith(junk + ":1: expected ") && e.getMessage().contains("not one of its 3 lines"),
        e.getMessage());
    // one good line among the bad ones is a trace with skipped lines, as before
    Path mixed = dir.resolve("mixed.txt");
    Files.writeString(mixed, "milk\n" + Files.readString(resource("ftrace-trace.txt")), StandardCharsets.UTF_8);
    assertEquals(1, TraceWorkload.load(mixed).info().skippedLines());
  }
}
