package org.pdm.model.autoencoder;

import ai.djl.ndarray.NDArray;
import org.pdm.model.blocks.Conv2dLayer;
import org.pdm.model.blocks.ResBlock;
import org.pdm.model.blocks.SpatialChannelAttention;
import org.pdm.model.blocks.VitBlock;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;

/**
 * A decoder branch: processes one latent (B, c, h, w) before it joins the backbone. A 3x3
 * convolution to the backbone width, then {@code blocks} times either ResBlock + spatial-channel
 * attention or a ViT block (paper section 3.3). -> (B, C, h, w).
 */
public final class DecoderBranch extends Module {
  private final Conv2dLayer conv;
  private final ModuleList<Module> blocks;

  public DecoderBranch(int latentChannels, int width, int height, int widthPx,
      AutoEncoderConfig c, double dropout) {
    this.conv = child("conv", new Conv2dLayer(latentChannels, width, 3, false));
    this.blocks = child("blocks", new ModuleList<>());
    for (int i = 0; i < c.branchBlocks(); i++) {
      if (c.branch() == AutoEncoderConfig.Branch.VIT) {
        blocks.add(new VitBlock(width, c.heads(), height, widthPx));
      } else {
        blocks.add(new ResBlock(width, width, 0, ResBlock.Resample.NONE, dropout, c.skipRescale(),
            false));
        blocks.add(new SpatialChannelAttention(width, c.skipRescale(), false));
      }
    }
  }

  /** z (B, c, h, w) -> (B, C, h, w). */
  public NDArray forward(Ctx ctx, NDArray z) {
    NDArray h = conv.forward(ctx, z);
    for (Module m : blocks.items()) {
      if (m instanceof ResBlock rb) {
        h = rb.forward(ctx, h, null);
      } else if (m instanceof SpatialChannelAttention a) {
        h = a.forward(ctx, h);
      } else {
        h = ((VitBlock) m).forward(ctx, h);
      }
    }
    return h;
  }
}
