package org.pdm.model.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.blocks.LinearLayer;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.TrainConfig;
import org.pdm.model.train.Trainer;

/** Rectified flow learns a 2-D Gaussian mixture: samples land on the modes in the right shares. */
class TwoDimensionalFlowTest {
  private static final float[][] MODES = {{2, 2}, {-2, 2}, {-2, -2}, {2, -2}};
  private static final float STD = 0.15f;

  /** A small time-conditioned MLP: [x, y, t] -> 64 -> 64 -> 2 (SiLU). */
  static final class Mlp extends Module {
    final LinearLayer l1 = child("l1", new LinearLayer(3, 64, false));
    final LinearLayer l2 = child("l2", new LinearLayer(64, 64, false));
    final LinearLayer l3 = child("l3", new LinearLayer(64, 2, false));

    NDArray forward(Ctx ctx, NDArray z, NDArray t) {
      NDArray h = z.concat(t.reshape(-1, 1), 1); // (B, 3)
      h = Ops.silu(l1.forward(ctx, h));
      h = Ops.silu(l2.forward(ctx, h));
      return l3.forward(ctx, h);
    }
  }

  static float[] mixture(Rng rng, int n) {
    float[] out = new float[2 * n];
    float[] noise = rng.normal(2 * n);
    for (int i = 0; i < n; i++) {
      float[] mode = MODES[(int) (rng.nextDouble() * MODES.length)];
      out[2 * i] = mode[0] + STD * noise[2 * i];
      out[2 * i + 1] = mode[1] + STD * noise[2 * i + 1];
    }
    return out;
  }

  /** Samples land near the modes (mean distance, share within 0.5) and in balanced shares. */
  static void assertMatchesMixture(float[] samples, String sampler) {
    int n = samples.length / 2;
    int[] counts = new int[MODES.length];
    int near = 0;
    double meanDist = 0;
    for (int i = 0; i < n; i++) {
      double best = Double.MAX_VALUE;
      int arg = 0;
      for (int k = 0; k < MODES.length; k++) {
        double d = Math.hypot(samples[2 * i] - MODES[k][0], samples[2 * i + 1] - MODES[k][1]);
        if (d < best) {
          best = d;
          arg = k;
        }
      }
      meanDist += best / n;
      if (best < 0.5) {
        near++;
        counts[arg]++;
      }
    }
    // mean distance to the nearest mode: exact samples give 0.15 * sqrt(pi/2) = 0.19
    assertTrue(meanDist < 0.35, sampler + ": mean distance to the nearest mode " + meanDist);
    assertTrue(near > 0.85 * n, sampler + ": " + near + " of " + n + " samples within 0.5 of a mode");
    for (int c : counts) {
      assertTrue(c > 0.15 * n && c < 0.35 * n, sampler + ": mode shares " + Arrays.toString(counts));
    }
  }

  @Test
  void learnsAGaussianMixture() {
    try (NDManager m = TestSupport.cpuManager()) {
      Mlp mlp = new Mlp();
      mlp.initialize(m, 1);
      Trainer trainer = new Trainer(mlp, TrainConfig.defaults().withLr(3e-3).withWarmup(50)
          .withEmaDecay(0.99).withSeed(1));
      RectifiedFlow flow = new RectifiedFlow();
      Rng data = new Rng(2);
      for (int step = 0; step < 1500; step++) {
        float[] batch = mixture(data, 256);
        trainer.step(ctx -> flow.loss(new NDList(ctx.create(batch, new Shape(256, 2))), ctx.rng(),
            (zt, t) -> new NDList(mlp.forward(ctx, zt.get(0), t))));
      }
      int n = 2000;
      NDList z0 = new NDList(m.create(new Rng(3).normal(2 * n), new Shape(n, 2)));
      VelocityField v = (z, t) -> {
        try (StepScope s = StepScope.open(mlp)) {
          NDArray out = mlp.forward(Ctx.eval(s.manager()), z.get(0), t);
          out.attach(z.head().getManager());
          return new NDList(out);
        }
      };
      assertMatchesMixture(new EulerSampler(100, flow.eps()).sample(v, z0).z().get(0).toFloatArray(),
          "Euler");
      Sampler.Result rk = new Rk45Sampler(1e-5, 1e-5, flow.eps()).sample(v, z0);
      assertMatchesMixture(rk.z().get(0).toFloatArray(), "RK45");
      // a nearly straight learned flow needs far fewer evaluations than 100 Euler steps
      assertTrue(rk.nfe() < 100, "RK45 NFE " + rk.nfe());
    }
  }
}
