package org.pdm.model.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.pdm.model.blocks.GroupNorm;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;

/**
 * Latent diffusion's / taming-transformers' {@code NLayerDiscriminator} (pix2pix PatchGAN): a 4x4
 * stride-2 conv to {@code ndf} channels and LeakyReLU(0.2), then {@code layers - 1} stride-2 convs
 * doubling the width (at most 8 ndf), one stride-1 conv, each with a normalisation and
 * LeakyReLU(0.2), and a stride-1 conv to one channel: a logit per patch. (B, C, H, W) ->
 * (B, 1, H / 2^layers - 2, W / 2^layers - 2).
 *
 * <p>Normalisation: GroupNorm (min(C/4, 32) groups), not taming's BatchNorm2d. The 2K autoencoders
 * train at batch 1, where BatchNorm's batch statistics are those of one image (instance norm while
 * training) and its running averages, used in eval mode, describe a different function; GroupNorm
 * computes the same thing at any batch size, in training and in eval, and we have it
 * ({@link GroupNorm}). taming's alternative, ActNorm, is data-initialised from the first batch,
 * which a resumed or data-parallel run would have to replay.
 */
public final class PatchDiscriminator extends Module {
  private static final float SLOPE = 0.2f;
  private final ModuleList<Module> main;

  /** A discriminator of {@code imageChannels} inputs with width {@code ndf} and {@code layers}. */
  public PatchDiscriminator(int imageChannels, int ndf, int layers) {
    if (ndf < 1 || layers < 1) {
      throw new IllegalArgumentException("discriminator needs ndf >= 1 and layers >= 1, got " + ndf
          + ", " + layers);
    }
    this.main = child("main", new ModuleList<>());
    main.add(new PatchConv(imageChannels, ndf, 2, true));
    int mult = 1;
    for (int n = 1; n <= layers; n++) {
      int prev = mult;
      mult = Math.min(1 << n, 8);
      main.add(new PatchConv(ndf * prev, ndf * mult, n < layers ? 2 : 1, false));
      main.add(new GroupNorm(ndf * mult));
    }
    main.add(new PatchConv(ndf * mult, 1, 1, true));
  }

  /** The discriminator an autoencoder config asks for ({@code discriminator.ndf / .layers}). */
  public PatchDiscriminator(AutoEncoderConfig c) {
    this(c.imageChannels(), c.discriminatorNdf(), c.discriminatorLayers());
  }

  /** Side of the logit map for an image side {@code size} (at least 1 where the config allows it). */
  public static int logitSize(int size, int layers) {
    return (size >> layers) - 2;
  }

  /** images (B, C, H, W) in [-1, 1] -> patch logits (B, 1, h, w). */
  public NDArray forward(Ctx ctx, NDArray x) {
    int last = main.size() - 1;
    NDArray h = x;
    for (int i = 0; i <= last; i++) {
      Module m = main.get(i);
      if (m instanceof GroupNorm norm) {
        h = Activation.leakyRelu(norm.forward(ctx, h), SLOPE);
      } else {
        h = ((PatchConv) m).forward(ctx, h);
        if (i == 0) {
          h = Activation.leakyRelu(h, SLOPE); // the first conv has no norm
        }
      }
    }
    return h; // the last conv: raw logits
  }
}
