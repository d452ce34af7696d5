package org.pdm.model.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;

class SpectralNormTest {

  /** Largest singular value of a (rows x cols) matrix by many power iterations in double. */
  static double sigmaMax(float[] w, int rows, int cols) {
    double[] v = new double[cols];
    java.util.Arrays.fill(v, 1.0 / Math.sqrt(cols));
    double sigma = 0;
    for (int it = 0; it < 2000; it++) {
      double[] u = new double[rows];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          u[r] += w[r * cols + c] * v[c];
        }
      }
      double[] nv = new double[cols];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          nv[c] += w[r * cols + c] * u[r];
        }
      }
      double n = 0;
      for (double x : nv) {
        n += x * x;
      }
      n = Math.sqrt(n);
      for (int c = 0; c < cols; c++) {
        v[c] = nv[c] / n;
      }
      sigma = Math.sqrt(n);
    }
    return sigma;
  }

  @Test
  void normalisedWeightHasLargestSingularValueNearOne() {
    try (NDManager m = TestSupport.cpuManager()) {
      Conv2dLayer conv = new Conv2dLayer(6, 10, 3, true);
      conv.initialize(m, 4);
      // make the raw weight large so that normalisation matters
      conv.weight().set(new Rng(8).normal((int) conv.weight().size()));
      int rows = 10;
      int cols = 6 * 9;
      double raw = sigmaMax(conv.weight().value().toFloatArray(), rows, cols);
      Shape s = new Shape(1, 6, 5, 5);
      NDArray x = m.create(new Rng(1).normal((int) s.size()), s);
      for (int i = 0; i < 30; i++) { // power iteration: one step per training forward
        conv.forward(Ctx.train(m, new Rng(i)), x);
      }
      assertEquals(raw, conv.sigmaEstimate(), 0.01 * raw, "power iteration estimates sigma_max");
      NDArray normalised = conv.weight().value().div(conv.sigmaEstimate());
      assertEquals(1.0, sigmaMax(normalised.toFloatArray(), rows, cols), 0.01);
    }
  }

  /**
   * A training forward runs in a step scope whose arrays are freed when it closes; the updated u and
   * v must be held in the buffers' own storage, not alias the step's freed arrays (which the
   * allocator hands out again to the next arrays of the same size).
   */
  @Test
  void powerIterationStateOutlivesTheStepScope() {
    try (NDManager m = TestSupport.cpuManager()) {
      Conv2dLayer conv = new Conv2dLayer(6, 10, 3, true);
      conv.initialize(m, 4);
      Shape s = new Shape(1, 6, 5, 5);
      NDArray x = m.create(new Rng(1).normal((int) s.size()), s);
      float[] before = conv.parameters().get("weight_u").value().toFloatArray();
      float[] u;
      float[] v;
      try (StepScope scope = StepScope.open(conv)) {
        conv.forward(Ctx.train(scope.manager(), new Rng(2)), x);
        u = conv.parameters().get("weight_u").value().toFloatArray();
        v = conv.parameters().get("weight_v").value().toFloatArray();
      }
      assertFalse(java.util.Arrays.equals(before, u), "a training forward updates u");
      // an eval forward uses u and v as they are and leaves them alone
      try (StepScope scope = StepScope.open(conv)) {
        conv.forward(Ctx.eval(scope.manager()), x);
      }
      assertArrayEquals(u, conv.parameters().get("weight_u").value().toFloatArray());
      assertArrayEquals(v, conv.parameters().get("weight_v").value().toFloatArray());
      // reuse the freed memory: many arrays of the buffers' sizes filled with another value
      try (NDManager junk = m.newSubManager()) {
        for (int i = 0; i < 200; i++) {
          junk.full(new Shape(10), 7f).add(1f);
          junk.full(new Shape(54), 7f).add(1f);
          junk.full(new Shape(10, 1), 7f).add(1f);
          junk.full(new Shape(54, 1), 7f).add(1f);
        }
        assertArrayEquals(u, conv.parameters().get("weight_u").value().toFloatArray());
        assertArrayEquals(v, conv.parameters().get("weight_v").value().toFloatArray());
      }
    }
  }
}
