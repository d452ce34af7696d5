package org.pdm.model.unet;

import ai.djl.ndarray.NDArray;
import org.pdm.model.blocks.Conv2dLayer;
import org.pdm.model.blocks.ResBlock;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;

/**
 * Input side of a pyramid branch (input-skip): the noisy latent z_t,i (B, c_i, h_i, w_i) goes through a
 * 3x3 convolution to the backbone's width where it joins (nf for the largest level; after a
 * downsampling, which keeps the width as in NCSN++, that of the resolution above) and {@code blocks}
 * time-conditioned ResBlocks, giving features (B, C, h_i, w_i) that join the backbone while it
 * downsamples. With no
 * blocks it is NCSN++'s input convolution.
 */
public final class BranchIn extends Module {
  private final Conv2dLayer conv;
  private final ModuleList<ResBlock> blocks;

  public BranchIn(int latentChannels, int width, int blocks, int tembChannels, double dropout,
      boolean skipRescale, boolean spectralNorm) {
    this.conv = child("conv", new Conv2dLayer(latentChannels, width, 3, spectralNorm));
    this.blocks = child("blocks", new ModuleList<>());
    for (int i = 0; i < blocks; i++) {
      this.blocks.add(new ResBlock(width, width, tembChannels, ResBlock.Resample.NONE, dropout,
          skipRescale, spectralNorm));
    }
  }

  /** z (B, c_i, h, w), temb (B, T) -> (B, C, h, w). */
  public NDArray forward(Ctx ctx, NDArray z, NDArray temb) {
    NDArray h = conv.forward(ctx, z);
    for (ResBlock b : blocks.items()) {
      h = b.forward(ctx, h, temb);
    }
    return h;
  }
}
