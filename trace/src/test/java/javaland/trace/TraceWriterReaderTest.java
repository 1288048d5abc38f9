package javaland.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javaland.runtime.kernel.sim.SimConfig;
import javaland.trace.TraceRecord.Decided;
import javaland.trace.TraceRecord.Exit;
import javaland.trace.TraceRecord.Fallback;
import javaland.trace.TraceRecord.Fork;
import javaland.trace.TraceRecord.Lost;
import javaland.trace.TraceRecord.Migrate;
import javaland.trace.TraceRecord.Queued;
import javaland.trace.TraceRecord.Switch;
import javaland.trace.TraceRecord.TaskInfo;
import javaland.trace.TraceRecord.Wakeup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWriterReaderTest {
  @TempDir Path dir;

  /** One of every record, edge values included. */
  static List<TraceRecord> everyKind() {
    return List.of(
        new TaskInfo(0, 0, "<idle>", ""),
        new TaskInfo(1001, 1000, "Web Content", "interactive"),
        new TaskInfo(1002, -1, "kworker/u8:2-events", ""),
        new Wakeup(EventType.WAKING, 5_173_318_140_000L, 1, 1002, 2),
        new Wakeup(EventType.WAKEUP, 5_173_318_151_000L, 2, 1002, 2),
        new Wakeup(EventType.WAKEUP_NEW, 5_173_318_175_000L, -1, 1001, -1),
        new Switch(5_173_318_190_000L, 3, 0, TaskState.RUNNING, 1001),
        new Switch(5_173_318_201_000L, 2, 1002, TaskState.IDLE, 0),
        new Switch(5_173_318_202_000L, 2, 0, TaskState.UNKNOWN, 1002),
        new Fork(5_173_318_203_000L, 0, 1001, 1002),
        new Migrate(5_173_318_204_000L, 3, 1001, 3, 0),
        new Queued(5_173_318_205_000L, -1, 1001, 42, true),
        new Queued(5_173_318_205_000L, 1, 1002, Long.MAX_VALUE, false),
        new Decided(5_173_318_206_000L, -1, 1001, 42, -1, 0, 5_173_318_100_000L),
        new Decided(5_173_318_206_001L, 0, 1002, 7, 3, -1L, Long.MIN_VALUE),
        new Fallback(5_173_318_207_000L, -1, 1001, FallbackReason.RING_FULL),
        new Lost(5_173_318_100_000L, 3, 17), // earlier than the event before: out of order
        new Lost(5_173_318_300_000L, -1, 0),
        new TaskInfo(1002, 1000, "gcc", ""),
        new Exit(5_173_320_100_000L, 0, 1002),
        new Switch(5_173_320_120_000L, 0, 1002, TaskState.ZOMBIE, 0));
  }

  static byte[] write(List<TraceRecord> records, TraceHeader header) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(bytes, header, "mem")) {
      for (TraceRecord r : records) w.accept(r);
      w.putEndMetadata("note", "end");
    }
    return bytes.toByteArray();
  }

  static List<TraceRecord> readAll(TraceReader r) throws IOException {
    List<TraceRecord> out = new ArrayList<>();
    for (TraceRecord rec; (rec = r.next()) != null; ) out.add(rec);
    return out;
  }

  static TraceHeader header() {
    return TraceHeader.of("test", SimConfig.topology(2, 2, 2), Map.of("source", "unit test", "seed", "7"));
  }

  @Test
  void everyRecordRoundTripsWithHeaderAndSummary() throws IOException {
    byte[] b = write(everyKind(), header());
    try (TraceReader r = new TraceReader(new ByteArrayInputStream(b), "mem", false)) {
      assertEquals(header(), r.header());
      assertEquals(everyKind(), readAll(r));
      TraceSummary s = r.summary();
      assertNotNull(s);
      assertEquals(everyKind().size() + 5, s.records(), "records include the 5 interned strings");
      assertEquals(15, s.events());
      assertEquals(2, s.tasks());
      assertEquals(17, s.lostEvents());
      assertEquals(2, s.count(EventType.LOST));
      assertEquals(4, s.count(EventType.SWITCH));
      assertEquals(5_173_318_100_000L, s.firstNs());
      assertEquals(5_173_320_120_000L, s.lastNs());
      assertEquals(4, s.nrCpus());
      assertEquals(1, s.outOfOrder());
      assertEquals("end", s.metadata().get("note"));
      assertEquals("gcc", r.task(1002).comm(), "a redefinition replaces the task");
      assertEquals(new TraceReader.State(3, 5, TraceCodec.TARGET_CHUNK), r.retainedState());
    }
  }

  @Test
  void summaryIsReadFromTheEndWithoutTheRecords() throws IOException {
    Path f = dir.resolve("t.jlt");
    Files.write(f, write(everyKind(), header()));
    TraceSummary s = TraceReader.readSummary(f);
    try (TraceReader r = TraceReader.open(f)) {
      readAll(r);
      assertEquals(r.summary(), s);
    }
  }

  @Test
  void fileWriterAndReaderAgree() throws IOException {
    Path f = dir.resolve("f.jlt");
    try (TraceWriter w = TraceWriter.create(f, TraceHeader.of("x", 0, null, null))) {
      for (TraceRecord r : everyKind()) w.accept(r);
    }
    try (TraceReader r = TraceReader.open(f)) {
      assertEquals(0, r.header().nrCpus());
      assertNull(r.header().topology());
      assertEquals(everyKind(), readAll(r));
      assertEquals(Files.size(f), r.position());
    }
  }

  @Test
  void switchesCostAFewBytesEach() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int n = 100_000;
    try (TraceWriter w = new TraceWriter(bytes, header(), "mem")) {
      for (int i = 1; i <= 64; i++) w.task(1000 + i, 1000, "worker-" + i, "batch");
      long t = 1_000_000_000L;
      for (int i = 0; i < n; i++) {
        t += 1000 + (i * 7919L) % 50_000; // microseconds apart
        w.switchTo(t, i % 8, 1000 + (i % 64) + 1, TaskState.SLEEPING, 1000 + ((i + 1) % 64) + 1);
      }
    }
    double perEvent = bytes.size() / (double) n;
    assertTrue(perEvent < 10, "a switch takes " + perEvent + " bytes");
  }

  @Test
  void commsAreInterned() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TraceWriter w = new TraceWriter(bytes, header(), "mem")) {
      for (int i = 0; i < 1000; i++) w.task(2000 + i, 2000, "kworker/u8:2-events", "kernel");
    }
    assertTrue(bytes.size() < 1000 * 8, "1000 tasks with one comm take " + bytes.size() + " bytes");
  }

  @Test
  void writerRejectsWhatTheFormatCannotHold() throws IOException {
    TraceWriter w = new TraceWriter(new ByteArrayOutputStream(), header(), "mem");
    assertThrows(IllegalArgumentException.class, () -> w.exit(0, -2, 1));
    assertThrows(IllegalArgumentException.class, () -> w.exit(0, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> w.lost(0, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> w.wakeup(EventType.SWITCH, 0, 0, 1, 0));
    w.close();
    assertThrows(IllegalStateException.class, () -> w.exit(0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TaskInfo(-1, 0, "", ""));
  }

  @Test
  void extensionRecordsOfLaterWritersAreSkipped() throws IOException {
    // A hand-built chunk: an extension record (0x40, 3 bytes) between two exits.
    TraceCodec.Out body = new TraceCodec.Out(64);
    body.u8(EventType.EXIT.code());
    body.zigzag(100);
    body.varint(1);
    body.varint(7);
    body.u8(0x40);
    body.varint(3);
    body.bytes(new byte[] {1, 2, 3}, 0, 3);
    body.u8(EventType.EXIT.code());
    body.zigzag(5);
    body.varint(1);
    body.varint(8);
    byte[] plain = write(List.of(), header());
    byte[] withChunk = TraceBytes.insertChunk(plain, body, 3);
    try (TraceReader r = new TraceReader(new ByteArrayInputStream(withChunk), "ext", false)) {
      assertEquals(List.of(new Exit(100, 0, 7), new Exit(105, 0, 8)), readAll(r));
    }
  }
}
