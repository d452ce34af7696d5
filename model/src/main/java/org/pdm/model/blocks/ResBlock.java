package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;

/**
 * NCSN++ residual block, BigGAN style ({@code ResnetBlockBigGANpp} of score_sde):
 * <pre>
 *   h = SiLU(GN0(x)); resample h and x (nearest 2x up or 2x2 average down) if up/down
 *   h = Conv0(h) + Dense0(SiLU(temb))[:, :, None, None]
 *   h = Conv1(Dropout(SiLU(GN1(h))))             (Conv1 initialised near zero)
 *   x = Conv2(x) (1x1) if the channels change or it resamples
 *   out = (x + h) / sqrt(2) with skip_rescale, else x + h
 * </pre>
 * Shapes: (B, I, H, W) -> (B, O, H', W') with H' = 2H (up), H/2 (down) or H.
 */
public final class ResBlock extends Module {
  /** Resampling done by the block. */
  public enum Resample { NONE, UP, DOWN }

  private final Resample resample;
  private final boolean skipRescale;
  private final GroupNorm norm0;
  private final Conv2dLayer conv0;
  private final LinearLayer dense0;
  private final GroupNorm norm1;
  private final Dropout dropout;
  private final Conv2dLayer conv1;
  private final Conv2dLayer conv2;

  /**
   * @param in input channels
   * @param out output channels
   * @param tembChannels width of the time embedding, 0 for none (autoencoder)
   * @param dropout dropout rate before the second convolution
   */
  public ResBlock(int in, int out, int tembChannels, Resample resample, double dropout,
      boolean skipRescale, boolean spectralNorm) {
    this.resample = resample;
    this.skipRescale = skipRescale;
    this.norm0 = child("norm0", new GroupNorm(in));
    this.conv0 = child("conv0", new Conv2dLayer(in, out, 3, spectralNorm));
    this.dense0 = tembChannels > 0
        ? child("dense0", new LinearLayer(tembChannels, out, spectralNorm)) : null;
    this.norm1 = child("norm1", new GroupNorm(out));
    this.dropout = new Dropout(dropout);
    this.conv1 = child("conv1", new Conv2dLayer(out, out, 3, spectralNorm, 0.0));
    this.conv2 = in != out || resample != Resample.NONE
        ? child("conv2", new Conv2dLayer(in, out, 1, spectralNorm)) : null;
  }

  public double dropoutRate() {
    return dropout.rate();
  }

  /** x (B, I, H, W), temb (B, T) or null -> (B, O, H', W'). */
  public NDArray forward(Ctx ctx, NDArray x, NDArray temb) {
    NDArray h = Ops.silu(norm0.forward(ctx, x));
    if (resample == Resample.UP) {
      h = Ops.upsample2x(h);
      x = Ops.upsample2x(x);
    } else if (resample == Resample.DOWN) {
      h = Ops.downsample2x(h);
      x = Ops.downsample2x(x);
    }
    h = conv0.forward(ctx, h);
    if (dense0 != null) {
      if (temb == null) {
        throw new IllegalArgumentException("this block needs a time embedding");
      }
      NDArray t = dense0.forward(ctx, Ops.silu(temb)); // (B, O)
      h = h.add(t.expandDims(2).expandDims(3));
    }
    h = Ops.silu(norm1.forward(ctx, h));
    h = dropout.forward(ctx, h);
    h = conv1.forward(ctx, h);
    if (conv2 != null) {
      x = conv2.forward(ctx, x);
    }
    return Ops.skipAdd(x, h, skipRescale);
  }
}
