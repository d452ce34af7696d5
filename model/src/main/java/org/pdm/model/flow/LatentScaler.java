package org.pdm.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Arrays;
import org.pdm.model.nn.Ops;

/**
 * Per-level latent scaling (paper section 4): each level's standard deviation is estimated by an
 * exponential moving average over the first {@code warmup} (100) training iterations and then frozen;
 * latents are divided by it, except for a level whose std is below 1, which is left as it is.
 * The state (std per level, updates seen) is saved in checkpoints.
 */
public final class LatentScaler {
  private final int warmup;
  private final double decay;
  private final double[] std;
  private int updates;

  /** {@code levels} levels, EMA {@code decay} (0.99) over the first {@code warmup} (100) updates. */
  public LatentScaler(int levels, int warmup, double decay) {
    this.warmup = warmup;
    this.decay = decay;
    this.std = new double[levels];
  }

  public LatentScaler(int levels) {
    this(levels, 100, 0.99);
  }

  /** Restores a saved state. */
  public static LatentScaler restore(double[] std, int updates, int warmup, double decay) {
    LatentScaler s = new LatentScaler(std.length, warmup, decay);
    System.arraycopy(std, 0, s.std, 0, std.length);
    s.updates = updates;
    return s;
  }

  /** Feeds one batch of unscaled latents (during the first {@code warmup} calls; later a no-op). */
  public void observe(NDList z) {
    if (updates >= warmup) {
      return;
    }
    for (int i = 0; i < std.length; i++) {
      NDArray x = z.get(i);
      double mean = x.mean().getFloat();
      double var = x.sub((float) mean).square().mean().getFloat();
      double s = Math.sqrt(var);
      // bias-free start: the first batch sets the estimate, later ones move it by (1 - decay)
      std[i] = updates == 0 ? s : decay * std[i] + (1 - decay) * s;
    }
    updates++;
  }

  /** Whether the estimate is frozen. */
  public boolean isFrozen() {
    return updates >= warmup;
  }

  /** Divisor per level: its std, or 1 where the std is below 1 (no rescaling). */
  public double[] divisors() {
    double[] d = new double[std.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = std[i] < 1 ? 1 : std[i];
    }
    return d;
  }

  /** z / divisor per level. */
  public NDList scale(NDList z) {
    double[] d = divisors();
    NDList out = new NDList(z.size());
    for (int i = 0; i < z.size(); i++) {
      out.add(Ops.scale(z.get(i), 1.0 / d[i]));
    }
    return out;
  }

  /** z * divisor per level (back to the autoencoder's latent space). */
  public NDList unscale(NDList z) {
    double[] d = divisors();
    NDList out = new NDList(z.size());
    for (int i = 0; i < z.size(); i++) {
      out.add(Ops.scale(z.get(i), d[i]));
    }
    return out;
  }

  public double[] std() {
    return Arrays.copyOf(std, std.length);
  }

  public int updates() {
    return updates;
  }

  public int warmup() {
    return warmup;
  }

  public double decay() {
    return decay;
  }
}
