package org.pdm.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.blocks.LinearLayer;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Rng;

class TrainerTest {
  /** Two dense layers: a deterministic model for exact comparisons. */
  static final class Net extends Module {
    final LinearLayer a = child("a", new LinearLayer(3, 8, false));
    final LinearLayer b = child("b", new LinearLayer(8, 1, false));

    NDArray loss(Ctx ctx, float[] x, float[] y, int n) {
      NDArray out = b.forward(ctx, Ops.silu(a.forward(ctx, ctx.create(x, new Shape(n, 3)))));
      return out.sub(ctx.create(y, new Shape(n, 1))).square().mean();
    }
  }

  @Test
  void accumulatedMicroBatchesGiveTheFullBatchGradient() {
    Rng rng = new Rng(4);
    float[] x = rng.normal(8 * 3);
    float[] y = rng.normal(8);
    float[] x1 = java.util.Arrays.copyOfRange(x, 0, 12);
    float[] x2 = java.util.Arrays.copyOfRange(x, 12, 24);
    float[] y1 = java.util.Arrays.copyOfRange(y, 0, 4);
    float[] y2 = java.util.Arrays.copyOfRange(y, 4, 8);
    try (NDManager m = TestSupport.cpuManager()) {
      Net full = new Net();
      full.initialize(m, 1);
      Net accumulated = new Net();
      accumulated.initialize(m, 1);
      TrainConfig cfg = TrainConfig.defaults().withWarmup(0).withGradClip(0);
      Trainer.StepResult one = new Trainer(full, cfg).step(ctx -> full.loss(ctx, x, y, 8));
      Trainer.StepResult two = new Trainer(accumulated, cfg.withAccumulation(2)).step(List.of(
          ctx -> accumulated.loss(ctx, x1, y1, 4), ctx -> accumulated.loss(ctx, x2, y2, 4)));
      assertEquals(one.gradNorm(), two.gradNorm(), 1e-5 * one.gradNorm());
      assertEquals(one.loss(), two.loss(), 1e-6);
    }
  }

  @Test
  void warmupRisesLinearlyAndClippingBoundsTheNorm() {
    TrainConfig cfg = TrainConfig.defaults().withLr(1e-3).withWarmup(4);
    assertEquals(0.25e-3, cfg.lrAt(0), 1e-15);
    assertEquals(1e-3, cfg.lrAt(3), 1e-15);
    assertEquals(1e-3, cfg.lrAt(100), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> cfg.withAccumulation(0));
    // clipping: Adam's first update is lr * g / (|g| + 1e-8) per element, about lr when g is
    // large; clipping the global norm to 1e-12 makes every |g| << 1e-8, so the weights barely move
    Rng rng = new Rng(2);
    float[] x = rng.normal(8 * 3);
    float[] y = rng.normal(8);
    double[] moved = new double[2];
    double[] clip = {0, 1e-12};
    for (int k = 0; k < 2; k++) {
      try (NDManager m = TestSupport.cpuManager()) {
        Net net = new Net();
        net.initialize(m, 3);
        float[] before = net.a.parameters().get("weight").value().toFloatArray();
        Trainer t = new Trainer(net, TrainConfig.defaults().withLr(1e-3).withWarmup(0)
            .withGradClip(clip[k]));
        t.step(ctx -> net.loss(ctx, x, y, 8));
        float[] after = net.a.parameters().get("weight").value().toFloatArray();
        for (int i = 0; i < before.length; i++) {
          moved[k] = Math.max(moved[k], Math.abs(after[i] - before[i]));
        }
      }
    }
    assertEquals(1e-3, moved[0], 1e-4, "unclipped first step moves weights by about lr");
    assertEquals(0, moved[1], 1e-6, "clipped to 1e-12 the weights barely move");
  }

  @Test
  void emaMovesTheShadowByOneMinusDecayTowardTheNewWeights() {
    Rng rng = new Rng(6);
    float[] x = rng.normal(8 * 3);
    float[] y = rng.normal(8);
    try (NDManager m = TestSupport.cpuManager()) {
      Net net = new Net();
      net.initialize(m, 5);
      float[] w0 = net.a.parameters().get("weight").value().toFloatArray();
      Trainer t = new Trainer(net, TrainConfig.defaults().withWarmup(0).withEmaDecay(0.75));
      t.step(ctx -> net.loss(ctx, x, y, 8));
      float[] w1 = net.a.parameters().get("weight").value().toFloatArray();
      t.step(ctx -> net.loss(ctx, x, y, 8));
      float[] w2 = net.a.parameters().get("weight").value().toFloatArray();
      float[] shadow = t.ema().weights().get("a.weight").toFloatArray();
      for (int i = 0; i < w0.length; i++) {
        // shadow_0 = w0; shadow_k = 0.75 shadow_(k-1) + 0.25 w_k
        double expected = 0.75 * (0.75 * w0[i] + 0.25 * w1[i]) + 0.25 * w2[i];
        assertEquals(expected, shadow[i], 1e-6, "a.weight[" + i + "]");
      }
    }
  }
}
