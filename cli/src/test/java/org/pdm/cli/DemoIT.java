package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code pdm demo}: the whole chain (synth to eval) and the report, then a
 * second run that skips every stage. The demo preset with fewer images and steps, so that it takes
 * seconds, not minutes; the stages and their order are the demo's.
 */
class DemoIT {
  static final String[] STAGES = {"synth", "ingest", "preprocess", "train-autoencoder", "encode", "train-flow",
      "sample", "eval-recon", "eval-ablation"};

  private static String demo(Path work) {
    CapturedRun run = CapturedRun.of("demo", "work-dir=" + work, "synth.count=24", "train.steps=6",
        "train.validate-every=3", "train.sample-every=6", "train.checkpoint-every=3", "train.log-every=3",
        "train.flow.sample-steps=2", "sample.count=6", "sample.sampler=\"euler:3\"", "eval.ablation.count=2",
        "progress.enabled=false");
    assertEquals(0, run.code(), run.out() + "\n" + run.err());
    return run.out();
  }

  @Test
  void runsTheWholeChainWritesTheReportAndSkipsEverythingTheSecondTime(@TempDir Path work) throws Exception {
    String first = demo(work);
    for (String folder : new String[] {"synth", "ingest", "preprocess", "autoencoder", "latents", "flow", "samples",
        "eval-recon", "eval-ablation"}) {
      assertTrue(first.contains(": wrote " + work.resolve(folder)), folder + " was written:\n" + first);
      assertTrue(Files.exists(work.resolve(folder).resolve("_SUCCESS")), folder);
    }
    assertTrue(first.contains("FID/KID skipped: pdm.eval.inception is not set"), first);
    assertTrue(Files.exists(work.resolve("autoencoder/checkpoint/checkpoint.json")));
    assertTrue(Files.size(work.resolve("samples/grid.png")) > 100);
    assertTrue(Files.size(work.resolve("eval-ablation/ablation.png")) > 100);
    String html = Files.readString(work.resolve("report.html"));
    assertTrue(html.contains("reconstruction PSNR") && html.contains("ablation PSNR"), "the results table");
    assertTrue(html.split("data:image/png;base64,", -1).length - 1 >= 5,
        "contact sheet, two loss curves, the sample grid and the ablation grid are embedded");
    String md = Files.readString(work.resolve("report.md"));
    for (String stage : STAGES) {
      assertTrue(md.contains("| " + stage + " | ran |"), stage + " in report.md:\n" + md);
    }

    String second = demo(work);
    for (String stage : STAGES) {
      assertTrue(second.contains("skip " + stage + " "), stage + " skipped:\n" + second);
    }
    assertEquals(STAGES.length, second.split(" is up to date", -1).length - 1, second);
  }
}
