package org.pdm.cli.explore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdm.cli.Main;
import org.pdm.core.stage.WorkLayout;

/**
 * The notebooks' data when there is none yet: synth -> ingest -> preprocess -> model init -> encode,
 * each through {@code pdm}'s own commands, at the tiny autoencoder's 32x32 (the demo's 2K dataset does
 * not fit {@code autoencoder-tiny}). Ingest keeps scapes2k's license filter but lets small and portrait
 * images through, so that preprocess has some to reject too. The autoencoder is freshly initialized,
 * not trained: enough to explore the mechanics, not what a trained model would show.
 */
public final class NotebookData {
  private NotebookData() {}

  /** The stages' outputs in {@code workDir}, made first when the latent cache is not there. */
  public static WorkLayout ensure(Path workDir, int images) {
    Path work = workDir.toAbsolutePath().normalize();
    WorkLayout layout = new WorkLayout(work.toString());
    if (Files.exists(work.resolve(WorkLayout.LATENTS.stage()).resolve("_SUCCESS"))) {
      return layout;
    }
    pdm(work, "synth", "--conf", "demo", "synth.count=" + images, "synth.min-size=64x32");
    pdm(work, "ingest", "--conf", "demo", "ingest.filter.min-width=32", "ingest.filter.min-height=16",
        "ingest.filter.orientation=any");
    pdm(work, "preprocess", "--conf", "demo", "--preset", "custom", "preprocess.custom.size=32x32",
        "preprocess.custom.min-size=64x32", "preprocess.custom.orientation=landscape");
    pdm(work, "model", "init", "--config", "autoencoder-tiny", "--seed", "1");
    pdm(work, "encode");
    return layout;
  }

  private static void pdm(Path work, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("work-dir=\"" + work + "\"", "progress.enabled=false", "spark.master=\"local[2]\""));
    int code = Main.run(all.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("pdm " + String.join(" ", all) + " exited with " + code
          + " (its message is above)");
    }
  }
}
