package org.pdm.eval.sample;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.executor.ModelRegistry;
import org.pdm.model.flow.Sampler;
import org.pdm.model.nn.Tensors;
import org.pdm.model.unet.PyramidUNet;

/**
 * Samples a batch of consecutive indices: each sample's noise from (seed, index)
 * ({@link SampleNoise}), integrated by the flow from t = eps to 1, unscaled per level by the flow
 * checkpoint's latent scaler ({@link LatentScaling}), decoded by the autoencoder and written as PNG.
 * Knows nothing of Spark. The two models are shared by the executor's tasks; each is used under its
 * registry lock.
 */
public final class BatchSampler {
  /** One sample: its index, PNG bytes, and the network evaluations its batch took. */
  public record Sample(long index, byte[] png, int nfe) {}

  private final ModelRegistry.Entry<ModelSource.Handle> flow;
  private final ModelRegistry.Entry<ModelSource.Handle> decoder;
  private final SamplerSpec spec;
  private final long seed;
  private final double[] divisors;

  /** @param divisors per level, what the flow's training divided latents by ({@link LatentScaling}) */
  public BatchSampler(ModelRegistry.Entry<ModelSource.Handle> flow, ModelRegistry.Entry<ModelSource.Handle> decoder,
      SamplerSpec spec, long seed, double[] divisors) {
    this.flow = flow;
    this.decoder = decoder;
    this.spec = spec;
    this.seed = seed;
    this.divisors = divisors.clone();
  }

  /** Samples {@code first .. first + n - 1}. */
  public List<Sample> run(long first, int n) {
    Latents z = flow.use(h -> latents((PyramidUNet) h.model(), first, n));
    PyramidAutoEncoder ae = decoder.use(h -> (PyramidAutoEncoder) h.model());
    float[] images = decoder.use(h -> ae.decode(z.values(), n)); // (n, 3, H, W) in [-1, 1]
    int height = ae.config().imageHeight();
    int width = ae.config().imageWidth();
    List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      try {
        out.add(new Sample(first + i, Pixels.png(Pixels.rgb(images, i, height, width), width, height), z.nfe()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Per level (n, c, h, w) row-major latents in the autoencoder's space, and the NFE spent. */
  private record Latents(float[][] values, int nfe) {}

  private Latents latents(PyramidUNet net, long first, int n) {
    List<LevelSpec> levels = net.levels();
    float[][] noise = new float[levels.size()][];
    for (int l = 0; l < levels.size(); l++) {
      noise[l] = new float[Math.toIntExact(n * levels.get(l).size())];
    }
    for (int i = 0; i < n; i++) {
      float[][] one = SampleNoise.draw(seed, first + i, levels);
      for (int l = 0; l < levels.size(); l++) {
        System.arraycopy(one[l], 0, noise[l], Math.toIntExact(i * levels.get(l).size()), one[l].length);
      }
    }
    Sampler sampler = spec.build();
    try (NDManager m = net.manager().newSubManager(net.manager().getDevice())) {
      NDList z0 = new NDList(levels.size());
      for (int l = 0; l < levels.size(); l++) {
        LevelSpec s = levels.get(l);
        z0.add(Tensors.create(m, noise[l], new Shape(n, s.channels(), s.height(), s.width())));
      }
      Sampler.Result r = sampler.sample(net.velocity(), z0);
      float[][] out = new float[levels.size()][];
      for (int l = 0; l < levels.size(); l++) {
        out[l] = r.z().get(l).toFloatArray();
        for (int k = 0; k < out[l].length; k++) {
          out[l][k] *= (float) divisors[l]; // back to the autoencoder's latent space
        }
      }
      return new Latents(out, r.nfe());
    }
  }
}
