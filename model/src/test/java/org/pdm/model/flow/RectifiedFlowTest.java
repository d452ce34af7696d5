package org.pdm.model.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Rng;

/** Eq. 7 against the formula written out on host arrays, with the same random draws replayed. */
class RectifiedFlowTest {

  @Test
  void lossIsEquationSevenWithOneTimePerSampleForAllLevels() {
    try (NDManager m = TestSupport.cpuManager()) {
      int b = 3;
      Shape[] shapes = {new Shape(b, 2, 4, 4), new Shape(b, 4, 2, 2)};
      Rng data = new Rng(11);
      float[][] x1 = new float[shapes.length][];
      NDList z1 = new NDList();
      for (int i = 0; i < shapes.length; i++) {
        x1[i] = data.normal((int) shapes[i].size());
        z1.add(m.create(x1[i], shapes[i]));
      }
      RectifiedFlow flow = new RectifiedFlow(0.2); // a large eps so that the clamp at 1 shows up
      // replay the draws: t for the batch, then the noise of each level in order
      Rng replay = new Rng(5);
      float[] t = flow.sampleTimes(b, replay);
      float[][] x0 = new float[shapes.length][];
      for (int i = 0; i < shapes.length; i++) {
        x0[i] = replay.normal((int) shapes[i].size());
      }
      for (float ti : t) {
        assertTrue(ti >= 0.2f && ti <= 1f, "t in [eps, 1]: " + ti);
      }
      float[][][] seen = new float[1][][];
      float[][] seenT = new float[1][];
      // the model returns a constant 0.5 drift, so the loss is sum_i mean((z1 - z0 - 0.5)^2)
      NDArray loss = flow.loss(z1, new Rng(5), (zt, tt) -> {
        seenT[0] = tt.toFloatArray();
        seen[0] = new float[zt.size()][];
        NDList v = new NDList();
        for (int i = 0; i < zt.size(); i++) {
          seen[0][i] = zt.get(i).toFloatArray();
          v.add(zt.get(i).zerosLike().add(0.5f));
        }
        return v;
      });
      org.junit.jupiter.api.Assertions.assertArrayEquals(t, seenT[0]);
      double expected = 0;
      for (int i = 0; i < shapes.length; i++) {
        int per = (int) (shapes[i].size() / b);
        double sum = 0;
        for (int j = 0; j < x1[i].length; j++) {
          double ts = t[j / per]; // one t per sample, shared by every level
          double zt = ts * x1[i][j] + (1 - ts) * x0[i][j];
          assertEquals(zt, seen[0][i][j], 1e-5, "z_t of level " + i + " at " + j);
          double r = (x1[i][j] - x0[i][j]) - 0.5;
          sum += r * r;
        }
        expected += sum / x1[i].length;
      }
      assertEquals(expected, loss.getFloat(), 1e-4 * expected);
    }
  }

  @Test
  void timesAreUniformOnEpsToOnePlusEpsClampedToOne() {
    RectifiedFlow flow = new RectifiedFlow(0.25);
    float[] t = flow.sampleTimes(20000, new Rng(3));
    int ones = 0;
    double mean = 0;
    for (float x : t) {
      assertTrue(x >= 0.25f && x <= 1f);
      ones += x == 1f ? 1 : 0;
      mean += x / t.length;
    }
    // P(t = 1) = eps; E[t] = int_eps^1 t dt + eps * 1 = (1 - eps^2) / 2 + eps
    assertEquals(0.25, ones / (double) t.length, 0.01);
    assertEquals((1 - 0.0625) / 2 + 0.25, mean, 0.01);
  }
}
