package org.pdm.model.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.TrainConfig;
import org.pdm.model.train.Trainer;

class PyramidAutoEncoderTest {
  private static final AutoEncoderConfig TINY =
      (AutoEncoderConfig) TestSupport.conf("autoencoder-tiny.conf");

  /** Synthetic 32x32 RGB images in [-1, 1]: a smooth gradient background and a coloured square. */
  static float[] syntheticImages(int n, int size, long seed) {
    Rng rng = new Rng(seed);
    float[] out = new float[n * 3 * size * size];
    for (int i = 0; i < n; i++) {
      double[] bg = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
      double[] fg = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
      int x0 = (int) (rng.nextDouble() * size / 2);
      int y0 = (int) (rng.nextDouble() * size / 2);
      int w = size / 4 + (int) (rng.nextDouble() * size / 4);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            boolean in = x >= x0 && x < x0 + w && y >= y0 && y < y0 + w;
            double v = in ? fg[c] : bg[c] * (0.5 + 0.5 * x / size);
            out[((i * 3 + c) * size + y) * size + x] = (float) (2 * v - 1);
          }
        }
      }
    }
    return out;
  }

  @Test
  void encodesToTheConfiguredLatentsAndDecodesAnySubset() {
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(TINY);
      ae.initialize(m, 1);
      try (StepScope s = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(s.manager());
        NDArray x = ctx.create(syntheticImages(2, 32, 1), new Shape(2, 3, 32, 32));
        LatentPyramid q = ae.encode(ctx, x);
        NDList z = q.sample(ctx, new Rng(1));
        assertEquals(TINY.latents().size(), z.size());
        for (int i = 0; i < z.size(); i++) {
          LevelSpec l = TINY.latents().get(i);
          assertEquals(new Shape(2, l.channels(), l.height(), l.width()), z.get(i).getShape());
        }
        assertTrue(q.kl().getFloat() > 0);
        NDArray full = ae.decode(ctx, z);
        assertEquals(x.getShape(), full.getShape());
        NDArray onlyFirst = ae.decode(ctx, z, new boolean[] {true, false},
            PyramidAutoEncoder.Fill.ZEROS, null);
        NDArray noisy = ae.decode(ctx, z, new boolean[] {true, false},
            PyramidAutoEncoder.Fill.NOISE, new Rng(2));
        assertEquals(x.getShape(), onlyFirst.getShape());
        assertNotEquals(0f, full.sub(onlyFirst).abs().max().getFloat());
        assertNotEquals(0f, noisy.sub(onlyFirst).abs().max().getFloat());
      }
    }
  }

  @Test
  void hostArrayEncodeAndDecodeForSparkTasksLeaveNothingAllocated() {
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(TINY);
      ae.initialize(m, 1);
      int arrays = m.getManagedArrays().size();
      float[] images = syntheticImages(3, 32, 2);
      float[][] z = ae.encodeMeans(images, 3);
      for (int i = 0; i < z.length; i++) {
        assertEquals(3 * TINY.latents().get(i).size(), z[i].length);
      }
      float[] x = ae.decode(z, 3);
      assertEquals(images.length, x.length);
      assertEquals(arrays, m.getManagedArrays().size());
      // same numbers as the NDArray path
      try (StepScope s = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(s.manager());
        NDList mode = ae.encode(ctx, ctx.create(images, new Shape(3, 3, 32, 32))).mode();
        org.junit.jupiter.api.Assertions.assertArrayEquals(mode.get(1).toFloatArray(), z[1], 0f);
      }
    }
  }

  @Test
  void deterministicBottleneckAndVitBranchesBuildAndRun() {
    AutoEncoderConfig c = (AutoEncoderConfig) ModelConfigs.parse(TINY.render()
        .replace("\"kl\"", "\"deterministic\"").replace("\"resblock\"", "\"vit\""));
    assertEquals(AutoEncoderConfig.Bottleneck.DETERMINISTIC, c.bottleneck());
    assertEquals(AutoEncoderConfig.Branch.VIT, c.branch());
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(c);
      ae.initialize(m, 1);
      try (StepScope s = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(s.manager());
        NDArray x = ctx.create(syntheticImages(1, 32, 1), new Shape(1, 3, 32, 32));
        LatentPyramid q = ae.encode(ctx, x);
        assertEquals(0f, q.kl().getFloat());
        assertEquals(x.getShape(), ae.decode(ctx, q.mode()).getShape());
      }
    }
  }

  @Test
  void overfitsASmallBatchOfSyntheticImages() {
    // dropout off for memorisation; everything else as in the tiny config
    AutoEncoderConfig c = (AutoEncoderConfig) ModelConfigs.parse(TINY.render()
        .replace("\"lowest\" : 0.35", "\"lowest\" : 0"));
    assertEquals(0.0, c.dropoutLowest());
    int n = 4;
    float[] images = syntheticImages(n, 32, 7);
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(c);
      ae.initialize(m, 3);
      Trainer trainer = new Trainer(ae, TrainConfig.defaults().withLr(2e-3).withWarmup(20)
          .withSeed(3));
      for (int step = 0; step < 150; step++) {
        trainer.step(ctx -> AutoEncoderLoss.compute(ctx, ae,
            ctx.create(images, new Shape(n, 3, 32, 32)), ctx.rng()));
      }
      try (StepScope s = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(s.manager());
        NDArray x = ctx.create(images, new Shape(n, 3, 32, 32));
        NDArray rec = ae.decode(ctx, ae.encode(ctx, x).mode()).clip(-1f, 1f);
        double mse = rec.sub(x).square().mean().getFloat();
        double psnr = 10 * Math.log10(4.0 / mse); // peak-to-peak 2 on [-1, 1]
        assertTrue(psnr > 25, "PSNR " + psnr + " dB");
      }
    }
  }
}
