package org.pdm.model.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;

/** The KL bottleneck: moments split into mean and log-variance, KL(q || N(0, I)) written out. */
class LatentPyramidTest {

  @Test
  void klIsHalfSumOfMeanSquarePlusVarianceMinusOneMinusLogVariancePerSample() {
    try (NDManager m = TestSupport.cpuManager()) {
      // two levels, batch 2; level 0 has 1 latent channel at 1x2, level 1 has 2 channels at 1x1
      float[] m0 = {0.5f, -1f, /* logvar */ 0.2f, -0.4f, /* sample 2 */ 2f, 0f, 1f, 0f};
      float[] m1 = {1f, 0f, /* logvar */ 0f, 50f, /* sample 2 */ -0.5f, 0.25f, -2f, -0.1f};
      LatentPyramid q = LatentPyramid.fromMoments(List.of(m.create(m0, new Shape(2, 2, 1, 2)),
          m.create(m1, new Shape(2, 4, 1, 1))), true);
      assertArrayEquals(new float[] {0.5f, -1f, 2f, 0f}, q.mode().get(0).toFloatArray());
      double kl = 0;
      float[][] means = {{0.5f, -1f, 2f, 0f}, {1f, 0f, -0.5f, 0.25f}};
      float[][] logvars = {{0.2f, -0.4f, 1f, 0f}, {0f, 20f /* clamped from 50 */, -2f, -0.1f}};
      for (int l = 0; l < 2; l++) {
        for (int j = 0; j < 4; j++) {
          double lv = logvars[l][j];
          kl += 0.5 * (means[l][j] * means[l][j] + Math.exp(lv) - 1 - lv);
        }
      }
      assertEquals(kl / 2, q.kl().getFloat(), 1e-5 * kl);
    }
  }
}
