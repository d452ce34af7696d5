package org.pdm.model.unet;

import ai.djl.ndarray.NDArray;
import org.pdm.model.blocks.OutputHead;
import org.pdm.model.blocks.ResBlock;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;

/**
 * Output side of a pyramid branch (res-skip): backbone features at the branch's resolution
 * (B, C, h_i, w_i) are bypassed into the branch, refined by {@code blocks} time-conditioned ResBlocks
 * (residual) and mapped to the level's drift (B, c_i, h_i, w_i) by an output head. With no blocks it
 * is NCSN++'s output head.
 */
public final class BranchOut extends Module {
  private final ModuleList<ResBlock> blocks;
  private final OutputHead head;

  public BranchOut(int width, int latentChannels, int blocks, int tembChannels, double dropout,
      boolean skipRescale, boolean spectralNorm) {
    this.blocks = child("blocks", new ModuleList<>());
    for (int i = 0; i < blocks; i++) {
      this.blocks.add(new ResBlock(width, width, tembChannels, ResBlock.Resample.NONE, dropout,
          skipRescale, spectralNorm));
    }
    this.head = child("head", new OutputHead(width, latentChannels, spectralNorm, 0.0));
  }

  /** h (B, C, h, w), temb (B, T) -> drift (B, c_i, h, w). */
  public NDArray forward(Ctx ctx, NDArray h, NDArray temb) {
    for (ResBlock b : blocks.items()) {
      h = b.forward(ctx, h, temb);
    }
    return head.forward(ctx, h);
  }
}
