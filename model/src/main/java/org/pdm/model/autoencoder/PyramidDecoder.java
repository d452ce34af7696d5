package org.pdm.model.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.pdm.model.blocks.DropoutSchedule;
import org.pdm.model.blocks.OutputHead;
import org.pdm.model.blocks.ResBlock;
import org.pdm.model.blocks.SpatialChannelAttention;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;
import org.pdm.model.nn.Ops;

/**
 * The heavy decoder (paper Fig. 5): starts from the smallest latent's branch, runs a middle block
 * (ResBlock, spatial-channel attention, ResBlock), then climbs the resolutions with one more ResBlock
 * per resolution than the encoder (spatial-channel attention at the configured heights). Each other
 * latent joins through its {@link DecoderBranch} at its resolution. Output-skip (StyleGAN2 tRGB): at
 * every resolution an output head maps the features to image space and the image so far is
 * upsampled and added, so the output is a sum over resolutions. No spectral norm (paper: the decoder is
 * unregularised).
 *
 * <p>latents (B, c_i, h_i, w_i), largest first -> image (B, C_img, H, W).
 */
public final class PyramidDecoder extends Module {
  private final AutoEncoderConfig config;
  private final ModuleList<DecoderBranch> branches;
  private final ModuleList<Module> mid;
  private final ModuleList<ModuleList<Module>> stages; // index k = resolution n-1-k
  private final ModuleList<OutputHead> toImage; // index k = resolution n-1-k
  private final ResBlock[] upsample;
  private final int[] levelAt;

  public PyramidDecoder(AutoEncoderConfig c) {
    this.config = c;
    int n = c.numResolutions();
    boolean sr = c.skipRescale();
    double[] p = DropoutSchedule.rates(n, c.dropoutLowest(), c.dropoutHighest());
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = c.channels() * c.channelMult().get(i);
    }
    this.branches = child("branches", new ModuleList<>());
    this.levelAt = new int[n];
    java.util.Arrays.fill(levelAt, -1);
    for (int l = 0; l < c.latents().size(); l++) {
      LevelSpec level = c.latents().get(l);
      int r = c.resolutionIndex(level);
      levelAt[r] = l;
      branches.add(new DecoderBranch(level.channels(), width[r], level.height(), level.width(), c,
          p[r]));
    }
    int ch = width[n - 1];
    this.mid = child("mid", new ModuleList<>());
    mid.add(new ResBlock(ch, ch, 0, ResBlock.Resample.NONE, p[n - 1], sr, false));
    mid.add(new SpatialChannelAttention(ch, sr, false));
    mid.add(new ResBlock(ch, ch, 0, ResBlock.Resample.NONE, p[n - 1], sr, false));
    this.stages = child("up", new ModuleList<>());
    this.toImage = child("to_image", new ModuleList<>());
    this.upsample = new ResBlock[n];
    for (int i = n - 1; i >= 0; i--) {
      ModuleList<Module> stage = stages.add(new ModuleList<>());
      for (int j = 0; j < c.resBlocks().get(i) + 1; j++) {
        stage.add(new ResBlock(ch, width[i], 0, ResBlock.Resample.NONE, p[i], sr, false));
        ch = width[i];
        if (c.attentionResolutions().contains(c.heightAt(i))) {
          stage.add(new SpatialChannelAttention(ch, sr, false));
        }
      }
      toImage.add(new OutputHead(ch, c.imageChannels(), false, 1.0));
      if (i > 0) {
        upsample[i] = stage.add(new ResBlock(ch, width[i - 1], 0, ResBlock.Resample.UP, p[i - 1], sr,
            false));
        ch = width[i - 1];
      }
    }
  }

  /** latents (B, c_i, h_i, w_i), largest first -> image (B, C_img, H, W). */
  public NDArray forward(Ctx ctx, NDList z) {
    return forwardWithLastFeatures(ctx, z).image();
  }

  /**
   * The image and the input of {@link #lastLayer()}, (B, C_0, H, W): the image's gradient is that
   * layer's output gradient (the full-resolution head is added last, unscaled), which is what the
   * adaptive GAN weight needs.
   */
  public record Output(NDArray image, NDArray lastFeatures) {}

  /** The highest resolution's output convolution: latent diffusion's {@code conv_out}. */
  public org.pdm.model.blocks.Conv2dLayer lastLayer() {
    return toImage.get(config.numResolutions() - 1).conv();
  }

  /** As {@link #forward}, also returning the last layer's input. */
  public Output forwardWithLastFeatures(Ctx ctx, NDList z) {
    int n = config.numResolutions();
    if (z.size() != config.latents().size()) {
      throw new IllegalArgumentException("expected " + config.latents().size() + " latents, got "
          + z.size());
    }
    NDArray h = branches.get(levelAt[n - 1]).forward(ctx, z.get(levelAt[n - 1]));
    for (Module m : mid.items()) {
      h = apply(ctx, m, h);
    }
    NDArray image = null;
    NDArray lastFeatures = null;
    for (int k = 0; k < n; k++) {
      int i = n - 1 - k;
      int level = levelAt[i];
      if (level >= 0 && i != n - 1) {
        h = Ops.skipAdd(h, branches.get(level).forward(ctx, z.get(level)), config.skipRescale());
      }
      for (Module m : stages.get(k).items()) {
        if (m != upsample[i]) {
          h = apply(ctx, m, h);
        }
      }
      NDArray features = toImage.get(k).features(ctx, h);
      NDArray rgb = toImage.get(k).conv().forward(ctx, features); // (B, C_img, h_i, w_i)
      lastFeatures = features;
      image = image == null ? rgb : Ops.upsample2x(image).add(rgb);
      if (i > 0) {
        h = upsample[i].forward(ctx, h, null);
      }
    }
    return new Output(image, lastFeatures);
  }

  private static NDArray apply(Ctx ctx, Module m, NDArray h) {
    if (m instanceof ResBlock rb) {
      return rb.forward(ctx, h, null);
    }
    return ((SpatialChannelAttention) m).forward(ctx, h);
  }
}
