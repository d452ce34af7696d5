package org.pdm.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage replaces only what it wrote; everything else at --out is refused untouched, forced or not. */
class OutputGuardTest {
  @TempDir
  Path dir;

  private final AtomicInteger runs = new AtomicInteger();

  /** A run of stage {@code stage} into {@code out}; the work writes data.txt. */
  private StageResult run(String stage, Path out, boolean force) throws Exception {
    return StageOutput.at(new Configuration(), out.toString()).run(new StageSpec(stage, "{}", List.of()), force, ctx -> {
      runs.incrementAndGet();
      Files.writeString(Path.of(ctx.dir().toUri()).resolve("data.txt"), stage);
    });
  }

  private StagePathException refused(String stage, Path out, boolean force) {
    StagePathException e = assertThrows(StagePathException.class, () -> run(stage, out, force));
    assertEquals(0, runs.get(), "no work began");
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertTrue(e.getMessage().contains(out.toString()), e.getMessage());
    return e;
  }

  @Test
  void aFolderWithTheUsersFilesIsRefusedAndKeptEvenWhenForced() throws Exception {
    Path keep = Files.createDirectories(dir.resolve("keep"));
    Files.writeString(keep.resolve("README.txt"), "precious");
    for (boolean force : new boolean[] {false, true}) {
      String m = refused("preprocess", keep, force).getMessage();
      assertTrue(m.contains("holds files that preprocess did not write (README.txt)"), m);
    }
    assertEquals("precious", Files.readString(keep.resolve("README.txt")));
    try (var files = Files.list(dir)) {
      assertEquals(List.of("keep"), files.map(p -> p.getFileName().toString()).toList(), "no lock, no temp");
    }
  }

  @Test
  void aFileIsRefusedAndKept() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes");
    assertTrue(refused("preprocess", notes, true).getMessage().contains("is a file, not a folder"));
    assertEquals("my notes", Files.readString(notes));
  }

  @Test
  void anotherStagesOutputIsRefused() throws Exception {
    Path out = dir.resolve("out");
    run("ingest", out, false);
    runs.set(0);
    String m = refused("preprocess", out, true).getMessage();
    assertTrue(m.contains("holds the output of ingest, not of preprocess"), m);
    assertEquals("ingest", Files.readString(out.resolve("data.txt")));
  }

  @Test
  void ownEmptyAndAbsentOutputsAreReplaced() throws Exception {
    run("preprocess", dir.resolve("absent/deeper"), false);
    run("preprocess", Files.createDirectories(dir.resolve("empty")), false);
    Path own = dir.resolve("own");
    run("preprocess", own, false);
    run("preprocess", own, true);
    assertEquals(4, runs.get());
  }

  @Test
  void anOutputBelowAFileIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertTrue(refused("synth", file.resolve("out"), false).getMessage().contains("a-file is a file, not a folder"));
    assertEquals("x", Files.readString(file));
  }

  @Test
  void readOnlyFoldersAreRefused() throws Exception {
    Path parent = Files.createDirectories(dir.resolve("ro"));
    Path own = dir.resolve("ro/own");
    run("synth", own, false);
    runs.set(0);
    Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assertTrue(refused("synth", parent.resolve("new"), false).getMessage().contains("is read-only"));
      assertTrue(refused("synth", own, true).getMessage().contains("ro is read-only"));
    } finally {
      Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertEquals("synth", Files.readString(own.resolve("data.txt")));
  }
}
