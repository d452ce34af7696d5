package org.pdm.model.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;

/**
 * The pyramid autoencoder: a {@link PyramidEncoder} that emits latents at the configured resolutions
 * and a {@link PyramidDecoder} with a branch per latent. Images are (B, C, H, W) in [-1, 1]; latents a
 * list (B, c_i, h_i, w_i), largest first.
 */
public final class PyramidAutoEncoder extends Module {
  /** What replaces a dropped level in {@link #decode(Ctx, NDList, boolean[], Fill, Rng)}. */
  public enum Fill { ZEROS, NOISE }

  private final AutoEncoderConfig config;
  private final PyramidEncoder encoder;
  private final PyramidDecoder decoder;

  public PyramidAutoEncoder(AutoEncoderConfig config) {
    this.config = config;
    this.encoder = child("encoder", new PyramidEncoder(config));
    this.decoder = child("decoder", new PyramidDecoder(config));
  }

  public AutoEncoderConfig config() {
    return config;
  }

  /**
   * Host-array convenience for a Spark task or a driver loop: encodes {@code batch} images given
   * row-major as (B, C, H, W) floats in [-1, 1] and returns each level's latent means (the
   * deterministic code the latent cache stores), largest level first, each (B, c, h, w) row-major.
   * Runs in its own {@link StepScope}: nothing is left allocated.
   */
  public float[][] encodeMeans(float[] images, int batch) {
    Shape shape = new Shape(batch, config.imageChannels(), config.imageHeight(),
        config.imageWidth());
    try (StepScope scope = StepScope.open(this)) {
      Ctx ctx = Ctx.eval(scope.manager());
      NDList z = encode(ctx, ctx.create(images, shape)).mode();
      float[][] out = new float[z.size()][];
      for (int i = 0; i < z.size(); i++) {
        out[i] = z.get(i).toFloatArray();
      }
      return out;
    }
  }

  /** Host-array convenience: latents per level (B, c, h, w) row-major -> images (B, C, H, W). */
  public float[] decode(float[][] latents, int batch) {
    try (StepScope scope = StepScope.open(this)) {
      Ctx ctx = Ctx.eval(scope.manager());
      NDList z = new NDList();
      for (int i = 0; i < latents.length; i++) {
        LevelSpec l = config.latents().get(i);
        z.add(ctx.create(latents[i], new Shape(batch, l.channels(), l.height(), l.width())));
      }
      return decode(ctx, z).toFloatArray();
    }
  }

  /** x (B, C, H, W) -> the latent distribution per level. */
  public LatentPyramid encode(Ctx ctx, NDArray x) {
    return LatentPyramid.fromMoments(encoder.forward(ctx, x),
        config.bottleneck() == AutoEncoderConfig.Bottleneck.KL);
  }

  /** Latents, largest first -> image (B, C, H, W). */
  public NDArray decode(Ctx ctx, NDList z) {
    return decoder.forward(ctx, z);
  }

  /** The decoder (its last layer and its features for the adaptive GAN weight). */
  public PyramidDecoder decoder() {
    return decoder;
  }

  /**
   * Decodes with only the levels where {@code keep[i]} is true; the others are replaced by zeros or
   * standard normal noise from {@code rng} (the paper's Fig. 7 control experiment).
   */
  public NDArray decode(Ctx ctx, NDList z, boolean[] keep, Fill fill, Rng rng) {
    if (keep.length != z.size()) {
      throw new IllegalArgumentException("keep has " + keep.length + " flags for " + z.size()
          + " levels");
    }
    NDList used = new NDList();
    for (int i = 0; i < z.size(); i++) {
      NDArray zi = z.get(i);
      if (keep[i]) {
        used.add(zi);
      } else if (fill == Fill.ZEROS) {
        used.add(zi.zerosLike());
      } else {
        Shape s = zi.getShape();
        used.add(ctx.create(rng.normal(Math.toIntExact(s.size())), s).toDevice(zi.getDevice(), false));
      }
    }
    return decode(ctx, used);
  }
}
