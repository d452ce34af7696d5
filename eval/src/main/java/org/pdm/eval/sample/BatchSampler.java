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

  /**
   * This executor's sampler on {@code device}: both models from the {@link ModelRegistry} (loaded by
   * the first task that asks; each model's own thread applies libtorch's thread settings).
   */
  public static BatchSampler load(ModelSource flow, ModelSource autoencoder, SamplerSpec spec, long seed,
      double[] divisors, ai.djl.Device device) {
    try {
      return new BatchSampler(flow.get(device), autoencoder.get(device), spec, seed, divisors);
    } catch (Exception e) {
      throw new IllegalStateException("could not load the models on " + device + ": " + e, e);
    }
  }

  /**
   * Batch {@code b} of a run of {@code count} samples: indices {@code [b * batchSize, min((b + 1) *
   * batchSize, count))}, so a batch holds the same samples however batches are spread over tasks.
   */
  public record Range(long first, int size) {
    public static Range of(long b, int batchSize, long count) {
      long first = b * batchSize;
      return new Range(first, (int) Math.min(batchSize, count - first));
    }
  }

  /**
   * A drawn batch: sample {@code first + i} as uint8 HWC RGB in {@code rgb[i]}, the network
   * evaluations the batch took, and the nanoseconds spent integrating the flow and decoding (each
   * measured while holding its model, so waits for the executor's shared model are not counted).
   */
  public record Drawn(long first, byte[][] rgb, int width, int height, int nfe, long sampleNanos, long decodeNanos) {}

  /** Samples {@code first .. first + n - 1} as PNG (what {@code pdm sample} writes). */
  public List<Sample> run(long first, int n) {
    Drawn d = draw(first, n);
    List<Sample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      try {
        out.add(new Sample(first + i, Pixels.png(d.rgb()[i], d.width(), d.height()), d.nfe()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Samples {@code first .. first + n - 1} as 8-bit pixels, not encoded (for FID inside the same task). */
  public Drawn draw(long first, int n) {
    long[] sampleNanos = new long[1];
    Latents z = flow.use(h -> {
      long t0 = System.nanoTime();
      Latents l = latents((PyramidUNet) h.model(), first, n);
      sampleNanos[0] = System.nanoTime() - t0;
      return l;
    });
    long[] decodeNanos = new long[1];
    PyramidAutoEncoder ae = decoder.use(h -> (PyramidAutoEncoder) h.model());
    int height = ae.config().imageHeight();
    int width = ae.config().imageWidth();
    byte[][] rgb = decoder.use(h -> {
      long t0 = System.nanoTime();
      float[] images = ae.decode(z.values(), n); // (n, 3, H, W) in [-1, 1]
      byte[][] px = new byte[n][];
      for (int i = 0; i < n; i++) {
        px[i] = Pixels.rgb(images, i, height, width);
      }
      decodeNanos[0] = System.nanoTime() - t0;
      return px;
    });
    return new Drawn(first, rgb, width, height, z.nfe(), sampleNanos[0], decodeNanos[0]);
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
