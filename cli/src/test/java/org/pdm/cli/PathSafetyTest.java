package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of issue 8 that lost users' files, and inputs that are not what a stage reads: each
 * refused with exit code 2 and one line naming the path, before Spark starts, with nothing touched.
 */
class PathSafetyTest {
  @TempDir
  Path dir;

  private CapturedRun refused(String what, String... args) {
    CapturedRun r = CapturedRun.of(args);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(what), r.err());
    assertTrue(r.out().isEmpty(), "no stage output: " + r.out());
    return r;
  }

  private Path photos() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Files.write(photos.resolve("a.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
    return photos;
  }

  @Test
  void preprocessIntoAFolderOfTheUsersFilesIsRefused() throws Exception {
    Path keep = Files.createDirectories(dir.resolve("keep"));
    Files.writeString(keep.resolve("README.txt"), "precious");
    refused("output " + keep + " holds files that preprocess did not write (README.txt)",
        "preprocess", "--preset", "lsun-256", "--in", photos().toString(), "--out", keep.toString());
    assertEquals("precious", Files.readString(keep.resolve("README.txt")));
  }

  @Test
  void preprocessOverAFileIsRefused() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes");
    refused("output " + notes + " is a file, not a folder", "preprocess", "--in", photos().toString(), "--out",
        notes.toString(), "--force");
    assertEquals("my notes", Files.readString(notes));
  }

  @Test
  void forcedIngestIntoAFolderOfTheUsersFilesIsRefused() throws Exception {
    Path userdir = Files.createDirectories(dir.resolve("userdir"));
    Files.writeString(userdir.resolve("thesis.tex"), "years of work");
    Files.createDirectories(userdir.resolve("figures"));
    refused("holds files that ingest did not write (figures/, thesis.tex)", "ingest", "--source", "files", "--in",
        photos().toString(), "--out", userdir.toString(), "--force");
    assertEquals("years of work", Files.readString(userdir.resolve("thesis.tex")));
    assertTrue(Files.isDirectory(userdir.resolve("figures")));
  }

  @Test
  void anUnwritableOutputIsRefused() throws Exception {
    Path ro = Files.createDirectories(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      refused("output " + ro.resolve("out") + " cannot be created: " + ro + " is read-only",
          "ingest", "--source", "files", "--in", photos().toString(), "--out", ro.resolve("out").toString());
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    refused("cannot be created: " + file + " is a file", "synth", "--out", file.resolve("out").toString());
  }

  @Test
  void preprocessRefusesAFolderItDoesNotRead() throws Exception {
    String work = "work-dir=" + dir.resolve("work");
    refused("input " + dir.resolve("work/ingest") + " does not exist: run pdm ingest first", "preprocess", work);

    Path synth = Files.createDirectories(dir.resolve("synth"));
    Files.writeString(synth.resolve("_manifest.json"), "{\"stage\": \"synth\"}");
    refused("input " + synth + " holds the output of synth: preprocess reads ingest's output folder",
        "preprocess", "--in", synth.toString(), work);

    // An ingest output without its manifest: its raw/ must be named, not its stats.json read as Parquet.
    Path old = Files.createDirectories(dir.resolve("ingest-files/raw"));
    Files.writeString(old.resolve("raw-1.parquet"), "PAR1");
    Files.writeString(old.resolveSibling("stats.json"), "{}");
    refused("holds Parquet only in a sub-folder (" + old + ")", "preprocess", "--in", old.getParent().toString(), work);

    // The work folder itself: stage outputs (with a contact sheet among them), not photos.
    Path workDir = dir.resolve("w");
    for (String stage : new String[] {"ingest", "preprocess"}) {
      Files.createDirectories(workDir.resolve(stage));
      Files.writeString(workDir.resolve(stage + "/_manifest.json"), "{\"stage\": \"" + stage + "\"}");
    }
    Files.write(workDir.resolve("preprocess/contact-sheet.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    refused("input " + workDir + " holds stage outputs (ingest/, preprocess/), not images: give the one to read, "
        + "such as " + workDir.resolve("ingest"), "preprocess", "--in", workDir.toString(), work);

    Path notes = Files.createDirectories(dir.resolve("notes"));
    Files.writeString(notes.resolve("todo.txt"), "x");
    refused("input " + notes + " holds no image files (found: todo.txt)", "preprocess", "--in", notes.toString(), work);
  }

  @Test
  void ingestRefusesAnotherStagesOutputAsItsSource() throws Exception {
    Path pre = Files.createDirectories(dir.resolve("pre"));
    Files.writeString(pre.resolve("_manifest.json"), "{\"stage\": \"preprocess\"}");
    Files.write(pre.resolve("contact-sheet.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    refused("input " + pre + " holds the output of preprocess: ingest --source files reads manifests", "ingest",
        "--source", "files", "--in", pre.toString(), "--out", dir.resolve("out").toString());
  }

  @Test
  void aFailureAfterTheChecksIsNamedInOneLineWithExitCode1() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.parquet"), "not parquet at all");
    CapturedRun r = CapturedRun.of("preprocess", "--in", bad.toString(), "--out", dir.resolve("out").toString(),
        "progress.enabled=false", "spark.master=\"local[1]\"");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("pdm preprocess: failed: "), r.err());
    assertTrue(r.err().contains("earlier outputs are intact"), r.err());
  }
}
