package org.pdm.model.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;

/** The loss has latent diffusion's ratio of KL to reconstruction, so kl-weight means 1e-6 as there. */
class AutoEncoderLossTest {

  @Test
  void klToReconstructionRatioIsLatentDiffusions() {
    AutoEncoderConfig c = (AutoEncoderConfig) TestSupport.conf("autoencoder-tiny.conf");
    assertEquals(1e-6, c.klWeight());
    int b = 2;
    long n = 3 * 32 * 32;
    float[] images = PyramidAutoEncoderTest.syntheticImages(b, 32, 5);
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(c);
      ae.initialize(m, 4);
      try (StepScope s = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(s.manager());
        NDArray x = ctx.create(images, new Shape(b, 3, 32, 32));
        AutoEncoderLoss.Terms t = AutoEncoderLoss.terms(ctx, ae, x, new Rng(9));

        // latent diffusion's terms, written out on host arrays from the same draws:
        // reconstruction summed over (C, H, W) per image, KL summed over latent elements, both / B
        LatentPyramid q = ae.encode(ctx, x);
        float[] rec = ae.decode(ctx, q.sample(ctx, new Rng(9))).toFloatArray();
        double recSum = 0;
        for (int i = 0; i < rec.length; i++) {
          recSum += (rec[i] - images[i]) * (double) (rec[i] - images[i]);
        }
        recSum /= b;
        double klSum = q.kl().getFloat();
        assertTrue(klSum > 1, "KL " + klSum);
        double ldRatio = c.klWeight() * klSum / recSum;

        double ratio = t.kl().getFloat() / t.reconstruction().getFloat();
        assertEquals(ldRatio, ratio, 1e-4 * ldRatio);
        // per-pixel units: the reconstruction term is the MSE, the total is LD's divided by C*H*W
        assertEquals(recSum / n, t.reconstruction().getFloat(), 1e-5 * recSum / n);
        assertEquals((recSum + c.klWeight() * klSum) / n, t.total().getFloat(), 1e-5 * recSum / n);
      }
    }
  }
}
