package org.pdm.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Rng;
import org.pdm.model.train.DataParallelTrainer;
import org.pdm.train.data.Batch;

/**
 * What one training objective adds to the generic loop: the loss of a micro-batch, the validation
 * metrics and the sample grid. The network, its trainer and the loop know nothing of the objective.
 */
public interface Objective {
  /** "autoencoder" or "flow". */
  String name();

  ModelConfig config();

  /** The model being trained (replica 0's). */
  Module model();

  /**
   * The loss of one micro-batch as a loss of its rows [from, to) computed by replica
   * {@code replica} of {@code replicas} (one device: replica 0, rows [0, B)): a mean over those
   * rows, recorded with autograd, inputs created in the replica's step manager. Every per-sample
   * random draw (noise, t) is made here, for the whole batch, from {@code rng} (the master
   * trainer's, saved in checkpoints) before the step, and sliced per shard, so that the replicas'
   * weighted losses add up to one device's loss on the batch. Each shard adds its terms to
   * {@code terms} weighted by its share of the batch. Called on several threads at once: it only
   * reads the batch and the draws.
   */
  DataParallelTrainer.ShardLoss shardLoss(Batch batch, Rng rng, List<Module> replicas, StepTerms terms);

  /**
   * Metrics of {@code model} (the trained model, or a copy holding its EMA weights) on held-out
   * batches in eval mode, deterministic (no draw from the trainer's generator, so that validating
   * changes nothing of training): {@code val_loss} and any others.
   */
  Map<String, Double> validate(List<Batch> batches, Module model);

  /** Writes a sample grid PNG (the objective decides what it shows). */
  void writeSamples(Path png, long step) throws IOException;

  /** The latent scaler whose state the checkpoint keeps; null when the objective has none. */
  default LatentScaler scaler() {
    return null;
  }

  /** Rows [from, to) of a row-major array of {@code batch} rows (the array itself when that is all of it). */
  static float[] rows(float[] all, int batch, int from, int to) {
    if (from == 0 && to == batch) {
      return all;
    }
    int per = all.length / batch;
    return java.util.Arrays.copyOfRange(all, from * per, to * per);
  }

  /** A batch's shape with {@code n} rows. */
  static long[] withRows(long[] shape, int n) {
    long[] s = shape.clone();
    s[0] = n;
    return s;
  }
}
