package org.pdm.model.autoencoder;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.pdm.model.blocks.Conv2dLayer;
import org.pdm.model.blocks.DropoutSchedule;
import org.pdm.model.blocks.LinearAttention;
import org.pdm.model.blocks.OutputHead;
import org.pdm.model.blocks.ResBlock;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;
import org.pdm.model.nn.Ops;

/**
 * The light encoder (paper Fig. 5): ResBlocks with linear attention, spectral norm on every layer
 * (when configured), no branches. At every resolution after the first, the image average-pooled to
 * that resolution is mapped in by a 1x1 convolution and added (input-skip, StyleGAN2's fRGB). At each
 * latent's resolution a head emits that latent's moments: (B, 2c, h, w) (mean, log-variance) for a KL
 * bottleneck or (B, c, h, w) for a deterministic one. The lowest resolution also runs a middle block
 * (ResBlock, linear attention, ResBlock) before its head.
 *
 * <p>x (B, 3, H, W) -> moments per latent, largest first.
 */
public final class PyramidEncoder extends Module {
  private final AutoEncoderConfig config;
  private final Conv2dLayer convIn;
  private final ModuleList<Module> fromImage;
  private final ModuleList<ModuleList<Module>> stages;
  private final ResBlock[] downsample;
  private final ModuleList<Module> mid;
  private final ModuleList<OutputHead> heads;
  private final int[] levelAt;

  public PyramidEncoder(AutoEncoderConfig c) {
    this.config = c;
    int n = c.numResolutions();
    boolean sn = c.spectralNorm();
    boolean sr = c.skipRescale();
    double[] p = DropoutSchedule.rates(n, c.dropoutLowest(), c.dropoutHighest());
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = c.channels() * c.channelMult().get(i);
    }
    this.convIn = child("conv_in", new Conv2dLayer(c.imageChannels(), width[0], 3, sn));
    this.fromImage = child("from_image", new ModuleList<>());
    this.stages = child("down", new ModuleList<>());
    this.downsample = new ResBlock[n];
    int ch = width[0];
    for (int i = 0; i < n; i++) {
      ModuleList<Module> stage = stages.add(new ModuleList<>());
      if (i > 0) {
        downsample[i] = stage.add(new ResBlock(ch, width[i], 0, ResBlock.Resample.DOWN, p[i], sr, sn));
        ch = width[i];
        fromImage.add(new Conv2dLayer(c.imageChannels(), ch, 1, sn));
      }
      for (int j = 0; j < c.resBlocks().get(i); j++) {
        stage.add(new ResBlock(ch, ch, 0, ResBlock.Resample.NONE, p[i], sr, sn));
        if (c.attentionResolutions().contains(c.heightAt(i))) {
          stage.add(new LinearAttention(ch, c.heads(), sr, sn));
        }
      }
    }
    this.mid = child("mid", new ModuleList<>());
    mid.add(new ResBlock(ch, ch, 0, ResBlock.Resample.NONE, p[n - 1], sr, sn));
    mid.add(new LinearAttention(ch, c.heads(), sr, sn));
    mid.add(new ResBlock(ch, ch, 0, ResBlock.Resample.NONE, p[n - 1], sr, sn));
    this.heads = child("latent_heads", new ModuleList<>());
    this.levelAt = new int[n];
    java.util.Arrays.fill(levelAt, -1);
    int factor = c.bottleneck() == AutoEncoderConfig.Bottleneck.KL ? 2 : 1;
    for (int l = 0; l < c.latents().size(); l++) {
      int r = c.resolutionIndex(c.latents().get(l));
      levelAt[r] = l;
      heads.add(new OutputHead(width[r], factor * c.latents().get(l).channels(), sn, 1.0));
    }
  }

  /** x (B, C_img, H, W) -> moments per latent, largest first. */
  public List<NDArray> forward(Ctx ctx, NDArray x) {
    int n = config.numResolutions();
    NDArray[] moments = new NDArray[config.latents().size()];
    NDArray h = convIn.forward(ctx, x);
    for (int i = 0; i < n; i++) {
      List<Module> stage = new ArrayList<>(stages.get(i).items());
      int start = 0;
      if (i > 0) {
        h = downsample[i].forward(ctx, h, null);
        NDArray img = Ops.downsample(x, 1 << i); // (B, C_img, H/2^i, W/2^i)
        h = Ops.skipAdd(h, ((Conv2dLayer) fromImage.get(i - 1)).forward(ctx, img),
            config.skipRescale());
        start = 1;
      }
      for (Module m : stage.subList(start, stage.size())) {
        h = apply(ctx, m, h);
      }
      if (i == n - 1) {
        for (Module m : mid.items()) {
          h = apply(ctx, m, h);
        }
      }
      if (levelAt[i] >= 0) {
        moments[levelAt[i]] = heads.get(levelAt[i]).forward(ctx, h);
      }
    }
    return List.of(moments);
  }

  private static NDArray apply(Ctx ctx, Module m, NDArray h) {
    if (m instanceof ResBlock rb) {
      return rb.forward(ctx, h, null);
    }
    return ((LinearAttention) m).forward(ctx, h);
  }
}
