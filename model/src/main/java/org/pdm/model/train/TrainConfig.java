package org.pdm.model.train;

import com.typesafe.config.Config;

/**
 * Optimisation settings: Adam(W) with linear LR warmup then a constant or cosine learning rate,
 * global-norm gradient clipping, gradient accumulation and an EMA of the weights.
 *
 * @param lr peak learning rate
 * @param beta1 Adam beta1
 * @param beta2 Adam beta2
 * @param adamEps Adam epsilon
 * @param weightDecay decoupled weight decay (AdamW), 0 for plain Adam
 * @param warmupSteps steps of linear warmup from lr/warmup to lr
 * @param gradClip max global gradient norm, 0 for none
 * @param accumulation micro-batches per optimizer step
 * @param emaDecay decay of the weight EMA (0.9999 in score_sde)
 * @param seed seed of the weights and of every random draw of training
 * @param schedule what follows the warmup: constant lr, or cosine from lr to 0 at {@code totalSteps}
 * @param totalSteps the step where the cosine reaches 0 (unused, and may be 0, for constant)
 */
public record TrainConfig(double lr, double beta1, double beta2, double adamEps, double weightDecay,
    int warmupSteps, double gradClip, int accumulation, double emaDecay, long seed,
    Schedule schedule, long totalSteps) {

  /** The learning rate after the warmup. */
  public enum Schedule { CONSTANT, COSINE }

  public TrainConfig {
    if (schedule == null) {
      schedule = Schedule.CONSTANT; // checkpoints written before the schedule existed
    }
    if (schedule == Schedule.COSINE && totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("invalid train config: a cosine schedule needs total-steps ("
          + totalSteps + ") > warmup-steps (" + warmupSteps + ")");
    }
    if (totalSteps < 0 || lr <= 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || adamEps <= 0
        || weightDecay < 0 || warmupSteps < 0 || gradClip < 0 || accumulation < 1 || emaDecay < 0
        || emaDecay >= 1) {
      throw new IllegalArgumentException("invalid train config: " + this);
    }
  }

  /** score_sde-like defaults: lr 2e-4, betas (0.9, 0.999), eps 1e-8, warmup 5000, clip 1, EMA 0.9999. */
  public static TrainConfig defaults() {
    return new TrainConfig(2e-4, 0.9, 0.999, 1e-8, 0, 5000, 1.0, 1, 0.9999, 0, Schedule.CONSTANT, 0);
  }

  /** The config without a schedule (as a checkpoint of version 1 holds it): constant after warmup. */
  public TrainConfig(double lr, double beta1, double beta2, double adamEps, double weightDecay,
      int warmupSteps, double gradClip, int accumulation, double emaDecay, long seed) {
    this(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip, accumulation, emaDecay, seed,
        Schedule.CONSTANT, 0);
  }

  /** Reads a {@code train} block; absent keys take {@link #defaults()}. */
  public static TrainConfig fromConfig(Config c) {
    TrainConfig d = defaults();
    return new TrainConfig(get(c, "lr", d.lr), get(c, "beta1", d.beta1), get(c, "beta2", d.beta2),
        get(c, "adam-eps", d.adamEps), get(c, "weight-decay", d.weightDecay),
        (int) get(c, "warmup-steps", d.warmupSteps), get(c, "grad-clip", d.gradClip),
        (int) get(c, "accumulation", d.accumulation), get(c, "ema-decay", d.emaDecay),
        c.hasPath("seed") ? c.getLong("seed") : d.seed, schedule(c),
        c.hasPath("total-steps") ? c.getLong("total-steps") : d.totalSteps);
  }

  private static Schedule schedule(Config c) {
    if (!c.hasPath("schedule")) {
      return Schedule.CONSTANT;
    }
    String v = c.getString("schedule");
    for (Schedule s : Schedule.values()) {
      if (s.name().equalsIgnoreCase(v)) {
        return s;
      }
    }
    throw new IllegalArgumentException("schedule: must be constant or cosine, got \"" + v + "\"");
  }

  private static double get(Config c, String key, double dflt) {
    return c.hasPath(key) ? c.getDouble(key) : dflt;
  }

  public TrainConfig withLr(double v) {
    return new TrainConfig(v, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip,
        accumulation, emaDecay, seed, schedule, totalSteps);
  }

  public TrainConfig withWarmup(int v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, v, gradClip, accumulation,
        emaDecay, seed, schedule, totalSteps);
  }

  public TrainConfig withAccumulation(int v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip, v,
        emaDecay, seed, schedule, totalSteps);
  }

  public TrainConfig withEmaDecay(double v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip,
        accumulation, v, seed);
  }

  public TrainConfig withGradClip(double v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, v, accumulation,
        emaDecay, seed, schedule, totalSteps);
  }

  public TrainConfig withSeed(long v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip,
        accumulation, emaDecay, v, schedule, totalSteps);
  }

  /** Adam's betas (the autoencoder and its discriminator use (0.5, 0.9), as latent diffusion). */
  public TrainConfig withBetas(double b1, double b2) {
    return new TrainConfig(lr, b1, b2, adamEps, weightDecay, warmupSteps, gradClip, accumulation,
        emaDecay, seed, schedule, totalSteps);
  }

  /** The schedule after the warmup; {@code total} is where a cosine reaches 0. */
  public TrainConfig withSchedule(Schedule s, long total) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip,
        accumulation, emaDecay, seed, s, total);
  }

  /**
   * Learning rate at optimizer step {@code step} (0-based): linear warmup to lr over
   * {@code warmupSteps}, then constant, or for cosine lr * (1 + cos(pi p)) / 2 with p going from 0
   * at the warmup's end to 1 at {@code totalSteps} (0 from there on).
   */
  public double lrAt(long step) {
    if (step < warmupSteps) {
      return lr * (step + 1.0) / warmupSteps;
    }
    if (schedule == Schedule.CONSTANT) {
      return lr;
    }
    double p = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
    return lr * 0.5 * (1 + Math.cos(Math.PI * p));
  }
}
