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
    // The demo preset at a tenth of its sizes: same stages, same filters' shape, seconds instead of a minute.
    CapturedRun run = CapturedRun.of("demo", "work-dir=" + work, "synth.count=8", "synth.min-size=256x128",
        "ingest.filter.min-width=256", "ingest.filter.min-height=128", "preprocess.preset=custom",
        "preprocess.custom.size=128x64", "preprocess.custom.min-size=256x128",
        "preprocess.custom.orientation=landscape", "progress.enabled=false");
    assertEquals(0, run.code(), run.out() + "\n" + run.err());
    return run.out();
  }

  @Test
  void runsEveryStageAndSaysWhereTheOutputsAre(@TempDir Path work) throws Exception {
    String first = demo(work);
    assertTrue(first.contains("synth: wrote " + work.resolve("synth")), first);
    assertTrue(Files.exists(work.resolve("synth/photos.tsv")), first);
    assertTrue(first.contains("ingest: wrote " + work.resolve("ingest")), first);
    assertTrue(first.contains("rejected filtered:license"), first);
    assertTrue(Files.isDirectory(work.resolve("ingest/raw")), first);
    assertTrue(first.contains("preprocess: wrote " + work.resolve("preprocess")), first);
    assertTrue(first.contains("contact sheet: " + work.resolve("preprocess/contact-sheet.png")), first);
    assertTrue(Files.size(work.resolve("preprocess/contact-sheet.png")) > 1000, first);
    assertTrue(first.contains("pdm demo: done"), first);

    String second = demo(work);
    for (String[] stage : new String[][] {{"synth", "synth"}, {"ingest", "ingest"}, {"preprocess", "preprocess"}}) {
      assertTrue(second.contains(stage[0] + ": " + work.resolve(stage[1]) + " is up to date"), second);
    }
  }
}
