package org.pdm.train.loop;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.train.data.Batch;

/**
 * What one training objective adds to the generic loop: the loss of a micro-batch, the validation
 * metrics and the sample grid. The network, its trainer and the loop know nothing of the objective.
 */
public interface Objective {
  /** "autoencoder" or "flow". */
  String name();

  ModelConfig config();

  Module model();

  /**
   * The loss of one micro-batch, with autograd recording; its inputs are created in {@code ctx}'s
   * manager and its randomness drawn from {@code ctx.rng()} (the trainer's, saved in checkpoints).
   * Each term's value is added to {@code terms} (a host number, for metrics).
   */
  NDArray loss(Ctx ctx, Batch batch, Map<String, Double> terms);

  /**
   * Metrics on held-out batches in eval mode, deterministic (no draw from the trainer's
   * generator, so that validating changes nothing of training): {@code val_loss} and any others.
   */
  Map<String, Double> validate(List<Batch> batches);

  /** Writes a sample grid PNG (the objective decides what it shows). */
  void writeSamples(Path png, long step) throws IOException;

  /** The latent scaler whose state the checkpoint keeps; null when the objective has none. */
  default LatentScaler scaler() {
    return null;
  }
}
