package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Init;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;

/**
 * Fully connected layer on the last axis: (..., I) -> (..., O); weight (O, I) as in PyTorch, bias
 * (O); optional spectral norm (buffers {@code weight_u}, {@code weight_v}).
 */
public final class LinearLayer extends Module {
  private final int in;
  private final int out;
  private final Param weight;
  private final Param bias;
  private final Param u;
  private final Param v;

  public LinearLayer(int in, int out, boolean spectralNorm, double initScale) {
    this.in = in;
    this.out = out;
    // under spectral norm the init scale is ignored (see Conv2dLayer)
    this.weight = param("weight", new Shape(out, in),
        Init.varianceScaling(spectralNorm ? 1.0 : initScale));
    this.bias = param("bias", new Shape(out), Init.zeros());
    this.u = spectralNorm ? buffer("weight_u", new Shape(out), Init.unitNormal()) : null;
    this.v = spectralNorm ? buffer("weight_v", new Shape((long) in), Init.unitNormal())
        : null;
  }

  public LinearLayer(int in, int out, boolean spectralNorm) {
    this(in, out, spectralNorm, 1.0);
  }

  /** (..., I) -> (..., O). */
  public NDArray forward(Ctx ctx, NDArray x) {
    ctx.countFlops(2.0 * (x.getShape().size() / in) * in * out);
    NDArray w = u == null ? weight.value() : SpectralNorm.normalize(ctx, weight.value(), u, v);
    return x.matMul(w.transpose()).add(bias.value());
  }

  public float sigmaEstimate() {
    if (u == null) {
      throw new IllegalStateException("no spectral norm on this layer");
    }
    return SpectralNorm.sigma(weight.value(), u, v);
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
