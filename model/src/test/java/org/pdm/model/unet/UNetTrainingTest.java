package org.pdm.model.unet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.flow.RectifiedFlow;
import org.pdm.model.nn.Rng;
import org.pdm.model.train.TrainConfig;
import org.pdm.model.train.Trainer;

/** The tiny pyramid UNet learns toy latents: the rectified-flow loss falls. */
class UNetTrainingTest {

  /** Toy "cached latents": 8 fixed smooth patterns per level, std about 2 (so scaling applies). */
  static float[][] toyLatents(UNetConfig c, int count) {
    float[][] out = new float[c.levels().size()][];
    for (int l = 0; l < c.levels().size(); l++) {
      LevelSpec s = c.levels().get(l);
      out[l] = new float[count * s.channels() * s.height() * s.width()];
      int i = 0;
      for (int n = 0; n < count; n++) {
        for (int ch = 0; ch < s.channels(); ch++) {
          for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
              out[l][i++] = (float) (2.5 * Math.sin(0.7 * (n + 1) * x / s.width() * Math.PI
                  + 1.3 * ch) * Math.cos((n % 3 + 1) * y / (double) s.height() * Math.PI));
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  void lossFallsOnToyLatentsWithLatentScaling() {
    UNetConfig c = (UNetConfig) TestSupport.conf("unet-tiny.conf");
    int count = 8;
    int batch = 8;
    float[][] data = toyLatents(c, count);
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidUNet net = new PyramidUNet(c);
      net.initialize(m, 5);
      Trainer trainer = new Trainer(net, TrainConfig.defaults().withLr(2e-3).withWarmup(10)
          .withSeed(5));
      LatentScaler scaler = new LatentScaler(c.levels().size(), 20, 0.9);
      RectifiedFlow flow = new RectifiedFlow();
      double first = 0;
      double last = 0;
      int steps = 160;
      for (int step = 0; step < steps; step++) {
        double loss = trainer.step(ctx -> {
          NDList z1 = new NDList();
          for (int l = 0; l < c.levels().size(); l++) {
            LevelSpec s = c.levels().get(l);
            z1.add(ctx.create(data[l], new Shape(batch, s.channels(), s.height(), s.width())));
          }
          scaler.observe(z1);
          return flow.loss(scaler.scale(z1), ctx.rng(), (zt, t) -> net.forward(ctx, zt, t));
        }).loss();
        if (step < 20) {
          first += loss / 20;
        } else if (step >= steps - 20) {
          last += loss / 20;
        }
      }
      assertTrue(scaler.isFrozen() && scaler.divisors()[0] > 1, "std estimated and applied");
      assertTrue(last < 0.6 * first, "loss fell from " + first + " to " + last);
    }
  }
}
