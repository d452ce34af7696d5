package org.pdm.model.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
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

  private static float maxAbs(NDArray a) {
    return a.abs().max().getFloat();
  }

  /**
   * The defining property: the layer computes with W / sigma_max(W), not W. The raw weight gets
   * sigma_max > 5, so using W (or another norm) is far off. Compared with (a) W divided by sigma_max from
   * an independent power iteration (1%, the layer's estimate after 30 steps) and (b) torch's eval
   * formula W / (u^T W v) with the stored u, v (float rounding).
   */
  @Test
  void forwardDividesTheWeightBySigmaMax() {
    try (NDManager m = TestSupport.cpuManager()) {
      Rng rng = new Rng(8);
      Conv2dLayer conv = new Conv2dLayer(6, 10, 3, true);
      LinearLayer linear = new LinearLayer(12, 7, true);
      conv.initialize(m, 4);
      linear.initialize(m, 5);
      conv.weight().set(rng.normal((int) conv.weight().size()));
      linear.parameters().get("weight").set(rng.normal(12 * 7));
      Shape cs = new Shape(2, 6, 5, 5);
      NDArray cx = m.create(rng.normal((int) cs.size()), cs);
      NDArray lx = m.create(rng.normal(3 * 12), new Shape(3, 12));
      for (int i = 0; i < 30; i++) { // one power-iteration step per training forward
        conv.forward(Ctx.train(m, new Rng(i)), cx);
        linear.forward(Ctx.train(m, new Rng(i)), lx);
      }
      NDArray cw = conv.weight().value();
      NDArray cb = conv.parameters().get("bias").value();
      double cSigma = sigmaMax(cw.toFloatArray(), 10, 54);
      NDArray cy = conv.forward(Ctx.eval(m), cx);
      NDArray cPlain = conv2d(cx, cw, cb);
      NDArray cExpected = conv2d(cx, cw.div((float) cSigma), cb);
      NDArray cTorch = conv2d(cx, cw.div(conv.sigmaEstimate()), cb);
      assertTrue(cSigma > 5, "sigma_max " + cSigma);
      assertTrue(maxAbs(cy.sub(cPlain)) > 0.5 * maxAbs(cPlain), "conv uses W itself");
      assertEquals(0, maxAbs(cy.sub(cExpected)), 0.01 * maxAbs(cExpected), "conv: W / sigma_max");
      assertEquals(0, maxAbs(cy.sub(cTorch)), 1e-5 * maxAbs(cTorch), "conv: W / u^T W v");

      NDArray lw = linear.parameters().get("weight").value();
      NDArray lb = linear.parameters().get("bias").value();
      double lSigma = sigmaMax(lw.toFloatArray(), 7, 12);
      NDArray ly = linear.forward(Ctx.eval(m), lx);
      NDArray lPlain = lx.matMul(lw.transpose()).add(lb);
      NDArray lExpected = lx.matMul(lw.div((float) lSigma).transpose()).add(lb);
      NDArray lTorch = lx.matMul(lw.div(linear.sigmaEstimate()).transpose()).add(lb);
      assertTrue(lSigma > 5, "sigma_max " + lSigma);
      assertTrue(maxAbs(ly.sub(lPlain)) > 0.5 * maxAbs(lPlain), "linear uses W itself");
      assertEquals(0, maxAbs(ly.sub(lExpected)), 0.01 * maxAbs(lExpected), "linear: W / sigma_max");
      assertEquals(0, maxAbs(ly.sub(lTorch)), 1e-5 * maxAbs(lTorch), "linear: W / u^T W v");
    }
  }

  private static NDArray conv2d(NDArray x, NDArray w, NDArray b) {
    return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
        .singletonOrThrow();
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
