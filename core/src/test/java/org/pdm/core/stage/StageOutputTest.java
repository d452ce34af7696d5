package org.pdm.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageOutputTest {
  @TempDir
  Path dir;

  private final AtomicInteger runs = new AtomicInteger();

  private StageResult run(Path out, String config, List<String> inputs, boolean force, String content) throws Exception {
    return StageOutput.at(new Configuration(), out.toString()).run(new StageSpec("test", config, inputs), force, ctx -> {
      runs.incrementAndGet();
      try (var os = ctx.fs().create(new org.apache.hadoop.fs.Path(ctx.dir(), "data.txt"))) {
        os.write(content.getBytes());
      }
      ctx.count("rows", content.length());
    });
  }

  @Test
  void commitsWithManifestAndSuccessMarker() throws Exception {
    Path out = dir.resolve("out");
    StageResult r = run(out, "{\"a\":1}", List.of(), false, "hello");
    assertFalse(r.skipped());
    assertEquals("hello", Files.readString(out.resolve("data.txt")));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    StageManifest m = StageManifest.read(org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(out.toString()));
    assertEquals("test", m.stage());
    assertEquals(5L, m.counts().get("rows"));
    assertEquals(1, m.config().get("a").asInt());
    assertTrue(m.seconds() >= 0);
    try (var files = Files.list(dir)) {
      assertEquals(List.of("out"), files.map(p -> p.getFileName().toString()).toList(), "no temp or lock left");
    }
  }

  @Test
  void sameConfigAndInputsAreSkippedAndChangesRedo() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.txt"), "1");
    Path out = dir.resolve("out");
    List<String> inputs = List.of(in.toString());
    run(out, "{\"a\":1}", inputs, false, "v1");
    assertTrue(run(out, "{\"a\":1}", inputs, false, "v2").skipped());
    assertEquals("v1", Files.readString(out.resolve("data.txt")));
    assertFalse(run(out, "{\"a\":1}", inputs, true, "forced").skipped());
    assertEquals("forced", Files.readString(out.resolve("data.txt")));
    assertFalse(run(out, "{\"a\":2}", inputs, false, "config").skipped());
    assertEquals("config", Files.readString(out.resolve("data.txt")));
    Files.writeString(in.resolve("b.txt"), "2");
    assertFalse(run(out, "{\"a\":2}", inputs, false, "input").skipped());
    assertEquals("input", Files.readString(out.resolve("data.txt")));
    Files.writeString(in.resolve(".hidden"), "ignored");
    assertTrue(run(out, "{\"a\":2}", inputs, false, "hidden").skipped());
    assertEquals(4, runs.get());
  }

  @Test
  void failedWorkLeavesThePreviousOutputIntact() throws Exception {
    Path out = dir.resolve("out");
    run(out, "{}", List.of(), false, "good");
    IOException boom = assertThrows(IOException.class, () ->
        StageOutput.at(new Configuration(), out.toString()).run(new StageSpec("test", "{\"b\":1}", List.of()), false, ctx -> {
          Files.writeString(Path.of(ctx.dir().toUri()).resolve("data.txt"), "half");
          throw new IOException("disk full");
        }));
    assertEquals("disk full", boom.getMessage());
    assertEquals("good", Files.readString(out.resolve("data.txt")));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "the temporary folder and the lock are removed");
    }
  }

  @Test
  void missingInputIsNamed() {
    Path out = dir.resolve("out");
    var e = assertThrows(java.io.FileNotFoundException.class,
        () -> run(out, "{}", List.of(dir.resolve("nope").toString()), false, "x"));
    assertTrue(e.getMessage().contains("nope"));
  }

  @Test
  void aSecondWriterIsRefusedWhileTheFirstRuns() throws Exception {
    Path out = dir.resolve("out");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread first = new Thread(() -> {
      try {
        StageOutput.at(new Configuration(), out.toString()).run(new StageSpec("test", "{}", List.of()), false, ctx -> {
          inside.countDown();
          release.await();
        });
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    first.start();
    inside.await();
    StageConflictException e = assertThrows(StageConflictException.class, () -> run(out, "{}", List.of(), false, "second"));
    assertTrue(e.getMessage().contains("being written by another run"), e.getMessage());
    assertTrue(e.getMessage().contains(".out.lock"), e.getMessage());
    release.countDown();
    first.join();
    assertTrue(run(out, "{}", List.of(), false, "third").skipped(), "the first run committed");
  }

  @Test
  void aLockLeftByADeadProcessIsTakenOver() throws Exception {
    Path out = dir.resolve("out");
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Files.writeString(dir.resolve(".out.lock"),
        java.net.InetAddress.getLocalHost().getHostName() + " " + dead.pid() + " 2026-01-01T00:00:00Z");
    assertFalse(run(out, "{}", List.of(), false, "after crash").skipped());
    assertFalse(Files.exists(dir.resolve(".out.lock")));
  }

  @Test
  void anOutputMovedAsideByACrashIsRestored() throws Exception {
    Path out = dir.resolve("out");
    run(out, "{}", List.of(), false, "good");
    Files.move(out, dir.resolve(".out.old"));
    Files.createDirectories(dir.resolve(".out.tmp-123"));
    assertTrue(run(out, "{}", List.of(), false, "again").skipped(), "the restored output is the same run's");
    assertEquals("good", Files.readString(out.resolve("data.txt")));
    assertFalse(Files.exists(dir.resolve(".out.tmp-123")));
  }

  private StageResult append(Path out, List<String> inputs, boolean force, boolean leftover, String part) throws Exception {
    return StageOutput.at(new Configuration(), out.toString()).append(new StageSpec("test", "{}", inputs), force,
        (fs, o) -> leftover, ctx -> {
          runs.incrementAndGet();
          Files.writeString(Path.of(ctx.dir().toUri()).resolve(part), part);
          ctx.time("step", 0.5);
        });
  }

  @Test
  void appendGrowsInPlaceAndAForcedRunStartsOverAndIsThenSkipped() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.txt"), "1");
    Path out = dir.resolve("out");
    List<String> inputs = List.of(in.toString());
    append(out, inputs, false, false, "p1");
    assertTrue(append(out, inputs, false, false, "p2").skipped());
    assertFalse(append(out, inputs, false, true, "p3").skipped(), "work left by a crash is finished");
    assertTrue(Files.exists(out.resolve("p1")) && Files.exists(out.resolve("p3")), "parts accumulate in place");
    StageResult forced = append(out, inputs, true, false, "p4");
    assertFalse(Files.exists(out.resolve("p1")), "--force starts over");
    assertEquals(0.5, forced.manifest().timingsSeconds().get("step"), "a forced manifest keeps the step timings");
    assertTrue(append(out, inputs, false, false, "p5").skipped(), "a plain rerun after --force is skipped");
    assertEquals(3, runs.get());
  }

  @Test
  void aFirstAppendThatDiesLeavesAFolderTheNextRunResumes() throws Exception {
    Path out = dir.resolve("out");
    assertThrows(IOException.class, () -> StageOutput.at(new Configuration(), out.toString())
        .append(new StageSpec("test", "{}", List.of()), false, (fs, o) -> false, ctx -> {
          Files.writeString(Path.of(ctx.dir().toUri()).resolve("p1"), "half");
          throw new IOException("killed");
        }));
    StageManifest mark = StageManifest.read(org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(out.toString()));
    assertEquals(null, mark.finishedAt(), "marked as this stage's, unfinished");
    assertFalse(append(out, List.of(), false, false, "p2").skipped());
    assertTrue(Files.exists(out.resolve("p1")) && Files.exists(out.resolve("p2")));
  }
}
