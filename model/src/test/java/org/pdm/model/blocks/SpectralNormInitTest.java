package org.pdm.model.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.autoencoder.LatentPyramid;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.StepScope;

/**
 * A freshly initialised spectrally normalised layer already divides by sigma_max in eval mode
 * (power iterations at initialisation, as torch's parametrized spectral norm), so that a new
 * autoencoder's encoder gives means and log-variances of order one rather than W divided by a
 * random u^T W v.
 */
class SpectralNormInitTest {
  @Test
  void freshLayerEstimatesSigmaMax() {
    try (NDManager m = TestSupport.cpuManager()) {
      Conv2dLayer conv = new Conv2dLayer(32, 64, 3, true);
      conv.initialize(m, 4);
      double sigma = SpectralNormTest.sigmaMax(conv.weight().value().toFloatArray(), 64, 32 * 9);
      assertEquals(sigma, conv.sigmaEstimate(), 0.05 * sigma, "u^T W v right after initialize");
      LinearLayer linear = new LinearLayer(40, 24, true);
      linear.initialize(m, 5);
      double ls = SpectralNormTest.sigmaMax(
          linear.parameters().get("weight").value().toFloatArray(), 24, 40);
      assertEquals(ls, linear.sigmaEstimate(), 0.05 * ls);
    }
  }

  /** Measured before the fix: level 0's max |mean| 16.0 (seed 1, this input); after: 1.9. */
  @Test
  void freshAutoencoderEncodesToOrderOne() {
    encodeStats("autoencoder-tiny.conf", 10);
  }

  /** Prints and bounds the eval-mode encoder statistics of a fresh model on a sine pattern. */
  static void encodeStats(String name, double bound) {
    AutoEncoderConfig c = (AutoEncoderConfig) TestSupport.conf(name);
    int h = c.imageHeight();
    int w = c.imageWidth();
    float[] x = new float[3 * h * w];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.07);
    }
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(c);
      ae.initialize(m, 1);
      try (StepScope s = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(s.manager());
        LatentPyramid q = ae.encode(ctx, ctx.create(x, new Shape(1, 3, h, w)));
        NDList mean = q.mode();
        NDList logvar = q.logvar();
        for (int i = 0; i < mean.size(); i++) {
          float maxMean = mean.get(i).abs().max().getFloat();
          NDArray lv = logvar.get(i);
          System.out.printf("%s level %d: max |mean| %.4g, logvar in [%.4g, %.4g]%n", name, i, maxMean,
              lv.min().getFloat(), lv.max().getFloat());
          assertTrue(maxMean < bound, "level " + i + " max |mean| " + maxMean);
          assertTrue(lv.abs().max().getFloat() < bound, "level " + i + " log-variance");
        }
      }
    }
  }
}
