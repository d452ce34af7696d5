package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, {@code pdm demo}, end to end on small images; a second run is skipped. */
class DemoIT {
  private static String demo(Path work) {
    CapturedRun run = CapturedRun.of("demo", "work-dir=" + work, "synth.count=6", "synth.min-size=128x64",
        "progress.enabled=false");
    assertEquals(0, run.code(), run.out() + "\n" + run.err());
    return run.out();
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
