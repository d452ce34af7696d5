package org.pdm.model.autoencoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.SafeTensors;

/**
 * The encoder half of a {@link PyramidAutoEncoder}, alone: what the latent cache loads on each
 * executor (the decoder is several times larger and never used there). Parameter names are the
 * autoencoder's without the {@code encoder.} prefix, so {@link #encoderWeights} picks them out of a
 * whole autoencoder's weights.
 */
public final class PyramidEncoderModel extends Module {
  private static final String PREFIX = "encoder.";
  private final AutoEncoderConfig config;
  private final PyramidEncoder encoder;

  public PyramidEncoderModel(AutoEncoderConfig config) {
    this.config = config;
    this.encoder = child("encoder", new PyramidEncoder(config));
  }

  public AutoEncoderConfig config() {
    return config;
  }

  /** The encoder's tensors of a whole autoencoder's weights, under this module's names. */
  public static Map<String, SafeTensors.Tensor> encoderWeights(Map<String, SafeTensors.Tensor> all) {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith(PREFIX)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** x (B, C, H, W) in [-1, 1] -> the latent distribution per level, largest first. */
  public LatentPyramid encode(Ctx ctx, NDArray x) {
    return LatentPyramid.fromMoments(encoder.forward(ctx, x),
        config.bottleneck() == AutoEncoderConfig.Bottleneck.KL);
  }

  /**
   * Host arrays in and out, in its own {@link StepScope}: {@code batch} images (B, C, H, W) row-major
   * in [-1, 1] to {@code [level][0 = mean, 1 = logvar]} arrays (B, c, h, w) row-major; logvar is null
   * for a deterministic bottleneck or when not {@code withLogvar}.
   */
  public float[][][] encodeHost(float[] images, int batch, boolean withLogvar) {
    Shape shape = new Shape(batch, config.imageChannels(), config.imageHeight(), config.imageWidth());
    try (StepScope scope = StepScope.open(this)) {
      Ctx ctx = Ctx.eval(scope.manager());
      NDArray x = ctx.create(images, shape).toDevice(manager().getDevice(), false);
      LatentPyramid z = encode(ctx, x);
      NDList mean = z.mode();
      NDList logvar = withLogvar && z.isGaussian() ? z.logvar() : null;
      float[][][] out = new float[mean.size()][2][];
      for (int i = 0; i < mean.size(); i++) {
        out[i][0] = mean.get(i).toFloatArray();
        out[i][1] = logvar == null ? null : logvar.get(i).toFloatArray();
      }
      return out;
    }
  }
}
