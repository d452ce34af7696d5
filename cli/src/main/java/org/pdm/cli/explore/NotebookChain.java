package org.pdm.cli.explore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pdm.core.stage.WorkLayout;
import org.pdm.eval.recon.AblationConfig;
import org.pdm.eval.recon.ReconConfig;

/**
 * The chain behind the notebooks: {@code pdm demo} (conf/demo.conf: synth through eval at the tiny
 * models' 32x32, the autoencoder and the flow trained) in the notebooks' work folder, by default the
 * demo's own {@code work/demo}, so that after {@code bin/pdm demo} the notebooks find everything up to
 * date. Every choice (counts, sizes, steps, learning rates, the EMA) is in conf/demo.conf.
 */
public final class NotebookChain {
  private NotebookChain() {}

  /** Generated photos: the demo's {@code synth.count}; about half reach the dataset. */
  public static final int IMAGES = 96;

  /** The chain as {@code pdm} command lines, each without the work folder (the caller adds it). */
  public static List<List<String>> commands(int images) {
    if (images < 8) {
      throw new IllegalArgumentException("images = " + images + ": the chain needs at least 8 generated photos "
          + "for a training set and a validation split; give " + IMAGES);
    }
    return List.of(List.of("demo", "synth.count=" + images));
  }

  /** Whether every stage of the chain has a committed output in {@code work} (the last ones imply the rest). */
  public static boolean complete(Path work) {
    for (String stage : List.of(WorkLayout.LATENTS.stage(), WorkLayout.FLOW.stage(), WorkLayout.SAMPLES.stage(),
        ReconConfig.FOLDER, AblationConfig.FOLDER)) {
      if (!Files.exists(work.resolve(stage).resolve("_SUCCESS"))) {
        return false;
      }
    }
    return true;
  }
}
