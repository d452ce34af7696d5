package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Init;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Param;

/**
 * NCSN++ time conditioning: t (B,) -> features (B, 4*nf). A fixed embedding of t (sinusoidal of
 * 999*t as in DDPM/score_sde "positional", width nf; or score_sde's Gaussian Fourier features,
 * frozen random frequencies in buffer {@code fourier_w} (nf), width 2nf), then Dense(width, 4nf),
 * SiLU, Dense(4nf, 4nf). Residual blocks apply SiLU and their own Dense to the output.
 */
public final class TimeEmbedding extends Module {
  /** Which fixed embedding of t. */
  public enum Kind { POSITIONAL, FOURIER }

  private final Kind kind;
  private final int nf;
  private final Param fourier;
  private final LinearLayer dense0;
  private final LinearLayer dense1;

  public TimeEmbedding(Kind kind, int nf, boolean spectralNorm) {
    if (nf % 2 != 0) {
      throw new IllegalArgumentException("time embedding width must be even, got " + nf);
    }
    this.kind = kind;
    this.nf = nf;
    // as score_sde's GaussianFourierProjection(embedding_size = nf): nf frequencies, sin and cos
    this.fourier = kind == Kind.FOURIER ? buffer("fourier_w", new Shape(nf), Init.normal(16.0))
        : null;
    int width = kind == Kind.FOURIER ? 2 * nf : nf;
    this.dense0 = child("dense0", new LinearLayer(width, 4 * nf, spectralNorm));
    this.dense1 = child("dense1", new LinearLayer(4 * nf, 4 * nf, spectralNorm));
  }

  /** Width of the output: 4 * nf. */
  public int outChannels() {
    return 4 * nf;
  }

  /** t (B,) in [0, 1] -> (B, 4*nf). */
  public NDArray forward(Ctx ctx, NDArray t) {
    NDArray emb = kind == Kind.FOURIER ? fourier(ctx, t) : positional(ctx, t);
    return dense1.forward(ctx, Ops.silu(dense0.forward(ctx, emb)));
  }

  private NDArray positional(Ctx ctx, NDArray t) {
    int half = nf / 2;
    float[] freq = new float[half];
    double scale = Math.log(10000.0) / (half - 1);
    for (int i = 0; i < half; i++) {
      freq[i] = (float) Math.exp(-scale * i);
    }
    NDArray f = ctx.create(freq, new Shape(1, half)).toDevice(t.getDevice(), false);
    NDArray arg = Ops.scale(t, 999).reshape(-1, 1).mul(f); // (B, half)
    return arg.sin().concat(arg.cos(), 1); // (B, nf)
  }

  private NDArray fourier(Ctx ctx, NDArray t) {
    NDArray arg = t.reshape(-1, 1).mul(Ops.scale(fourier.value().reshape(1, -1), 2 * Math.PI));
    return arg.sin().concat(arg.cos(), 1); // (B, 2nf)
  }
}
