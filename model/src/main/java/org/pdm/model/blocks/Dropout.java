package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import org.pdm.model.nn.Ctx;

/**
 * Inverted dropout with masks drawn from the context's {@link org.pdm.model.nn.Rng} (not libtorch's
 * global generator), so training is reproducible per thread and resumable bit-exactly. Identity in
 * eval contexts or when p = 0.
 */
public final class Dropout {
  private final double p;

  public Dropout(double p) {
    if (p < 0 || p >= 1) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + p);
    }
    this.p = p;
  }

  public double rate() {
    return p;
  }

  /** x * mask / (1 - p), mask ~ Bernoulli(1 - p), same shape as x. */
  public NDArray forward(Ctx ctx, NDArray x) {
    if (!ctx.training() || p == 0) {
      return x;
    }
    int n = Math.toIntExact(x.getShape().size());
    float keep = (float) (1.0 / (1.0 - p));
    float[] mask = new float[n];
    for (int i = 0; i < n; i++) {
      mask[i] = ctx.rng().nextDouble() >= p ? keep : 0f;
    }
    NDArray m = ctx.create(mask, x.getShape()).toDevice(x.getDevice(), false);
    return x.mul(m);
  }
}
