package org.pdm.model.config;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Configuration of a {@link org.pdm.model.autoencoder.PyramidAutoEncoder}. The encoder runs at
 * resolutions image / 2^i for i < {@code channelMult.size()}; each latent sits on one of them and the
 * smallest on the lowest. The decoder mirrors it with one more block per resolution. Keys (under
 * {@code model}):
 * <pre>
 *   type = autoencoder
 *   image { height = 256, width = 256, channels = 3 }
 *   channels = 64
 *   channel-mult = [1, 2, 2, 4, 4, 4]
 *   res-blocks = 1                  # encoder blocks per resolution (or a list); decoder gets +1
 *   attention-resolutions = [16, 8]  # heights with attention (linear: encoder,
 *                                    #   spatial-channel: decoder)
 *   latents { sizes = [[32, 32], [16, 16], [8, 8]], channels = [4, 8, 16] }   # largest first
 *   bottleneck = kl | deterministic, kl-weight = 1e-6   # on latent diffusion's scale (AutoEncoderLoss)
 *   branch = resblock | vit, branch-blocks = 1, heads = 1
 *   dropout { lowest = 0.35, highest = 0.0 }
 *   spectral-norm = true (encoder only), skip-rescale = true
 *   discriminator { ndf = 64, layers = 3 }   # the PatchGAN of the adversarial loss (taming's
 *                                            #   NLayerDiscriminator ndf, n_layers)
 * </pre>
 */
public record AutoEncoderConfig(
    Config source,
    int imageHeight,
    int imageWidth,
    int imageChannels,
    int channels,
    List<Integer> channelMult,
    List<Integer> resBlocks,
    List<Integer> attentionResolutions,
    List<LevelSpec> latents,
    Bottleneck bottleneck,
    double klWeight,
    Branch branch,
    int branchBlocks,
    int heads,
    double dropoutLowest,
    double dropoutHighest,
    boolean spectralNorm,
    boolean skipRescale,
    int discriminatorNdf,
    int discriminatorLayers) implements ModelConfig {

  /** Latent bottleneck: KL-regularised Gaussian (mean, log-variance) or a plain deterministic code. */
  public enum Bottleneck { KL, DETERMINISTIC }

  /** What processes a latent in its decoder branch. */
  public enum Branch { RESBLOCK, VIT }

  static AutoEncoderConfig read(Config c) {
    ConfigReader r = new ConfigReader(c, "model.");
    List<Integer> mult = r.positiveInts("channel-mult");
    AutoEncoderConfig cfg = new AutoEncoderConfig(c, r.positiveInt("image.height"),
        r.positiveInt("image.width"), r.positiveInt("image.channels", 3), r.positiveInt("channels"),
        mult, r.intOrList("res-blocks", mult.size(), "channel-mult"),
        r.positiveIntsOrEmpty("attention-resolutions"),
        r.levels("latents.sizes", "latents.channels"),
        r.choice("bottleneck", Bottleneck.class, Bottleneck.KL), r.nonNegative("kl-weight", 1e-6),
        r.choice("branch", Branch.class, Branch.RESBLOCK),
        r.has("branch-blocks") ? UNetConfig.nonNegativeInt(r, c, "branch-blocks") : 1,
        r.positiveInt("heads", 1), r.fraction("dropout.lowest", 0.35),
        r.fraction("dropout.highest", 0.0), r.bool("spectral-norm", true),
        r.bool("skip-rescale", true), r.positiveInt("discriminator.ndf", 64),
        r.positiveInt("discriminator.layers", 3));
    r.allow("type");
    r.refuseUnknown();
    cfg.validate(r);
    return cfg;
  }

  private void validate(ConfigReader r) {
    int patches = Math.min(imageHeight, imageWidth) / (1 << Math.min(discriminatorLayers, 30)) - 2;
    if (patches < 1) {
      throw r.error("discriminator.layers", discriminatorLayers + " stride-2 layers leave no patch "
          + "of a " + imageHeight + "x" + imageWidth + " image (the side / 2^layers must be >= 3); "
          + "use fewer layers");
    }
    int n = channelMult.size();
    if (imageHeight % (1 << (n - 1)) != 0 || imageWidth % (1 << (n - 1)) != 0) {
      throw r.error("channel-mult", n + " resolutions halve the " + imageHeight + "x" + imageWidth
          + " image to a non-integer size");
    }
    int last = -1;
    for (int i = 0; i < latents.size(); i++) {
      int idx = resolutionIndex(latents.get(i));
      if (idx < 0) {
        throw r.error("latents.sizes", "latent " + i + " (" + latents.get(i) + ") is not the image "
            + imageHeight + "x" + imageWidth + " halved 0.." + (n - 1) + " times");
      }
      if (idx <= last) {
        throw r.error("latents.sizes", "latents must be listed from the largest to the smallest, "
            + "one per resolution");
      }
      last = idx;
    }
    if (last != n - 1) {
      throw r.error("latents.sizes", "the smallest latent must sit on the lowest resolution "
          + heightAt(n - 1) + "x" + widthAt(n - 1) + " (where the decoder starts)");
    }
    for (int i = 0; i < n; i++) {
      int c = channels * channelMult.get(i);
      if (branch == Branch.VIT && c % heads != 0) {
        throw r.error("heads", "must divide every width; " + c + " is not divisible by " + heads);
      }
    }
  }

  /** Index i of the encoder resolution of {@code level} (image / 2^i), or -1 if none. */
  public int resolutionIndex(LevelSpec level) {
    for (int i = 0; i < channelMult.size(); i++) {
      if (heightAt(i) == level.height() && widthAt(i) == level.width()) {
        return i;
      }
    }
    return -1;
  }

  public int heightAt(int i) {
    return imageHeight >> i;
  }

  public int widthAt(int i) {
    return imageWidth >> i;
  }

  public int numResolutions() {
    return channelMult.size();
  }

  /** Total latent scalars per image over the image's scalars (the paper's "1:256"). */
  public double compression() {
    long total = 0;
    for (LevelSpec l : latents) {
      total += l.size();
    }
    return (double) imageHeight * imageWidth * imageChannels / total;
  }
}
