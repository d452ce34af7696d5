package org.pdm.model.train;

import com.typesafe.config.Config;

/**
 * Optimisation settings: Adam(W) with linear LR warmup, global-norm gradient clipping, gradient
 * accumulation and an EMA of the weights.
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
 */
public record TrainConfig(double lr, double beta1, double beta2, double adamEps, double weightDecay,
    int warmupSteps, double gradClip, int accumulation, double emaDecay, long seed) {

  public TrainConfig {
    if (lr <= 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || adamEps <= 0
        || weightDecay < 0 || warmupSteps < 0 || gradClip < 0 || accumulation < 1 || emaDecay < 0
        || emaDecay >= 1) {
      throw new IllegalArgumentException("invalid train config: " + this);
    }
  }

  /** score_sde-like defaults: lr 2e-4, betas (0.9, 0.999), eps 1e-8, warmup 5000, clip 1, EMA 0.9999. */
  public static TrainConfig defaults() {
    return new TrainConfig(2e-4, 0.9, 0.999, 1e-8, 0, 5000, 1.0, 1, 0.9999, 0);
  }

  /** Reads a {@code train} block; absent keys take {@link #defaults()}. */
  public static TrainConfig fromConfig(Config c) {
    TrainConfig d = defaults();
    return new TrainConfig(get(c, "lr", d.lr), get(c, "beta1", d.beta1), get(c, "beta2", d.beta2),
        get(c, "adam-eps", d.adamEps), get(c, "weight-decay", d.weightDecay),
        (int) get(c, "warmup-steps", d.warmupSteps), get(c, "grad-clip", d.gradClip),
        (int) get(c, "accumulation", d.accumulation), get(c, "ema-decay", d.emaDecay),
        c.hasPath("seed") ? c.getLong("seed") : d.seed);
  }

  private static double get(Config c, String key, double dflt) {
    return c.hasPath(key) ? c.getDouble(key) : dflt;
  }

  public TrainConfig withLr(double v) {
    return new TrainConfig(v, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip,
        accumulation, emaDecay, seed);
  }

  public TrainConfig withWarmup(int v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, v, gradClip, accumulation,
        emaDecay, seed);
  }

  public TrainConfig withAccumulation(int v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip, v,
        emaDecay, seed);
  }

  public TrainConfig withEmaDecay(double v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip,
        accumulation, v, seed);
  }

  public TrainConfig withGradClip(double v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, v, accumulation,
        emaDecay, seed);
  }

  public TrainConfig withSeed(long v) {
    return new TrainConfig(lr, beta1, beta2, adamEps, weightDecay, warmupSteps, gradClip,
        accumulation, emaDecay, v);
  }

  /** Learning rate at optimizer step {@code step} (0-based): linear warmup, then constant. */
  public double lrAt(long step) {
    return warmupSteps == 0 ? lr : lr * Math.min(1.0, (step + 1.0) / warmupSteps);
  }
}
