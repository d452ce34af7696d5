package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;

/**
 * Output skip (StyleGAN2 "tRGB", NCSN++ output head): features to image/latent space,
 * SiLU(GN(h)) then a 3x3 convolution. (B, C, H, W) -> (B, out, H, W).
 */
public final class OutputHead extends Module {
  private final GroupNorm norm;
  private final Conv2dLayer conv;

  public OutputHead(int channels, int out, boolean spectralNorm, double initScale) {
    this.norm = child("norm", new GroupNorm(channels));
    this.conv = child("conv", new Conv2dLayer(channels, out, 3, spectralNorm, initScale));
  }

  /** (B, C, H, W) -> (B, out, H, W). */
  public NDArray forward(Ctx ctx, NDArray h) {
    return conv.forward(ctx, features(ctx, h));
  }

  /** The convolution's input SiLU(GN(h)), (B, C, H, W). */
  public NDArray features(Ctx ctx, NDArray h) {
    return Ops.silu(norm.forward(ctx, h));
  }

  /** The final convolution. */
  public Conv2dLayer conv() {
    return conv;
  }
}
