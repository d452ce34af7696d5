package org.pdm.cli.explore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdm.core.stage.WorkLayout;
import org.pdm.eval.recon.AblationConfig;
import org.pdm.eval.recon.ReconConfig;

/**
 * The tiny chain behind the notebooks, as {@code pdm} command lines: every choice (counts, sizes, steps,
 * learning rates) is here and nowhere else, so that the notebooks can switch to {@code pdm demo} once
 * that command runs the same chain at 32x32.
 *
 * <p>Synth makes photos of 64x32 and up; ingest keeps scapes2k's license filter but no size filter and
 * preprocess crops 32x32 landscapes of at least 64x32, so both have something to reject (dataset.ipynb
 * shows it). Training is a few hundred steps of the tiny configs (chosen by default at 32x32). The
 * weight EMA decays at 0.95 rather than 0.999: encode and sample use the EMA, and over 150 steps a
 * 0.999 average is still mostly the initial weights (measured: recon PSNR 12.0 dB with 0.999, 20.9
 * with 0.95, for a validation PSNR of 20.3 dB of the raw weights).
 */
public final class NotebookChain {
  private NotebookChain() {}

  /** Generated photos; about half reach the dataset (licenses, sizes, orientation). */
  public static final int IMAGES = 48;

  /** Held out by id hash for validation; eval recon must score the same split that training held out. */
  static final String VALIDATION_FRACTION = "0.2";

  private static final List<String> TRAIN = List.of("train.batch-size=8",
      "train.validation-fraction=" + VALIDATION_FRACTION, "train.validate-every=25", "train.log-every=5",
      "train.sample-every=25", "train.checkpoint-every=100");

  /** The chain's commands in order, each without the work folder (the caller adds it). */
  public static List<List<String>> commands(int images) {
    if (images < 8) {
      throw new IllegalArgumentException("images = " + images + ": the chain needs at least 8 generated photos "
          + "for a training set and a validation split; give " + IMAGES);
    }
    List<List<String>> c = new ArrayList<>();
    c.add(List.of("synth", "--conf", "demo", "synth.count=" + images, "synth.min-size=64x32"));
    c.add(List.of("ingest", "--conf", "demo", "ingest.filter.min-width=32", "ingest.filter.min-height=16",
        "ingest.filter.orientation=any"));
    c.add(List.of("preprocess", "--conf", "demo", "--preset", "custom", "preprocess.custom.size=32x32",
        "preprocess.custom.min-size=64x32", "preprocess.custom.orientation=landscape"));
    c.add(with(List.of("train", "autoencoder", "--steps", "150", "train.autoencoder.lr=2e-3",
        "train.autoencoder.ema-decay=0.95"), TRAIN));
    c.add(List.of("encode"));
    c.add(with(List.of("train", "flow", "--steps", "200", "train.flow.lr=1e-3", "train.flow.ema-decay=0.95",
        "train.flow.sample-steps=8"), TRAIN));
    c.add(List.of("sample", "--count", "32", "--sampler", "euler:50"));
    c.add(List.of("eval", "recon", "eval.recon.validation-fraction=" + VALIDATION_FRACTION));
    c.add(List.of("eval", "ablation", "eval.ablation.validation-fraction=" + VALIDATION_FRACTION));
    return c;
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

  private static List<String> with(List<String> head, List<String> tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(tail);
    return List.copyOf(all);
  }
}
