package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Init;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;

/**
 * 2-D convolution, "same" padding, stride 1: (B, I, H, W) -> (B, O, H, W); weight (O, I, k, k), bias
 * (O). With spectral norm the weight is divided by its largest singular value (buffers
 * {@code weight_u} (O) and {@code weight_v} (I*k*k) keep the power-iteration state).
 */
public final class Conv2dLayer extends Module {
  private final int in;
  private final int out;
  private final int kernel;
  private final Param weight;
  private final Param bias;
  private final Param u;
  private final Param v;

  /**
   * A k x k convolution from {@code in} to {@code out} channels, weights scaled by {@code initScale}.
   * Under spectral norm the scale is ignored: W / sigma(W) does not depend on it, and a near-zero
   * weight would make the gradient (proportional to 1 / sigma) explode.
   */
  public Conv2dLayer(int in, int out, int kernel, boolean spectralNorm, double initScale) {
    if (kernel % 2 != 1) {
      throw new IllegalArgumentException("kernel must be odd, got " + kernel);
    }
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    this.weight = param("weight", new Shape(out, in, kernel, kernel),
        Init.varianceScaling(spectralNorm ? 1.0 : initScale));
    this.bias = param("bias", new Shape(out), Init.zeros());
    this.u = spectralNorm ? buffer("weight_u", new Shape(out), Init.unitNormal()) : null;
    this.v = spectralNorm
        ? buffer("weight_v", new Shape((long) in * kernel * kernel), Init.unitNormal()) : null;
  }

  public Conv2dLayer(int in, int out, int kernel, boolean spectralNorm) {
    this(in, out, kernel, spectralNorm, 1.0);
  }

  /** (B, I, H, W) -> (B, O, H, W). */
  public NDArray forward(Ctx ctx, NDArray x) {
    Shape s = x.getShape();
    ctx.countFlops(2.0 * s.get(0) * s.get(2) * s.get(3) * out * in * kernel * kernel);
    NDArray w = u == null ? weight.value() : SpectralNorm.normalize(ctx, weight.value(), u, v);
    int p = kernel / 2;
    return Conv2d.conv2d(x, w, bias.value(), new Shape(1, 1), new Shape(p, p), new Shape(1, 1), 1)
        .singletonOrThrow();
  }

  /** Current sigma_max estimate of the raw weight (1 when normalised weights are used, by design). */
  public float sigmaEstimate() {
    if (u == null) {
      throw new IllegalStateException("no spectral norm on this layer");
    }
    return SpectralNorm.sigma(weight.value(), u, v);
  }

  public Param weight() {
    return weight;
  }

  public boolean spectralNorm() {
    return u != null;
  }

  /** Power iterations from the random start (see {@link SpectralNorm#warmUp}). */
  @Override
  protected void afterInitialize() {
    super.afterInitialize();
    if (u != null) {
      SpectralNorm.warmUp(weight.value(), u, v);
    }
  }
}
