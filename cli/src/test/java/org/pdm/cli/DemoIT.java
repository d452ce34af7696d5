package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, {@code pdm demo}, end to end on small images; a second run is skipped. */
class DemoIT {
  private static String demo(Path work) {
    PrintStream old = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      int code = Main.run("demo", "work-dir=" + work, "synth.count=6", "synth.min-size=128x64",
          "progress.enabled=false");
      assertEquals(0, code, out + "\n" + err);
    } finally {
      System.setOut(old);
      System.setErr(oldErr);
    }
    return out.toString();
  }

  @Test
  void runsEveryStageAndSaysWhereTheOutputsAre(@TempDir Path work) {
    String first = demo(work);
    assertTrue(first.contains("synth: wrote " + work.resolve("synth")), first);
    assertTrue(Files.exists(work.resolve("synth/photos.tsv")), first);
    assertTrue(first.contains("pdm demo: done"), first);

    String second = demo(work);
    assertTrue(second.contains("is up to date"), second);
  }
}
