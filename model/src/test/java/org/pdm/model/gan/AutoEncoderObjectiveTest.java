package org.pdm.model.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.autoencoder.LatentPyramid;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.TrainConfig;
import org.pdm.model.train.Trainer;

/** The objective on autoencoder-tiny with the stand-in LPIPS and the config's PatchGAN. */
class AutoEncoderObjectiveTest {
  static final int B = 2;

  static float[] images(long seed) {
    float[] x = new Rng(seed).normal(B * 3 * 32 * 32);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.tanh(x[i] * 0.5 + Math.sin(i * 0.05));
    }
    return x;
  }

  static final class Setup implements AutoCloseable {
    final NDManager root = TestSupport.cpuManager();
    final AutoEncoderConfig config = (AutoEncoderConfig) TestSupport.conf("autoencoder-tiny.conf");
    final PyramidAutoEncoder ae = new PyramidAutoEncoder(config);
    final PatchDiscriminator disc = new PatchDiscriminator(config);
    final LpipsLoss lpips = LpipsLoss.load(LpipsLossTest.DIR.resolve("lpips_standin.pt"),
        Device.cpu());
    final TrainConfig train = TrainConfig.defaults().withWarmup(0).withLr(1e-3).withBetas(0.5, 0.9)
        .withSeed(3);
    final Trainer aeTrainer;
    final Trainer discTrainer;

    Setup() {
      ae.initialize(root.newSubManager(), 1);
      disc.initialize(root.newSubManager(), 2);
      aeTrainer = new Trainer(ae, train);
      discTrainer = new Trainer(disc, train);
    }

    @Override
    public void close() {
      lpips.close();
      root.close();
    }
  }

  static Map<String, float[]> values(Module m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    m.parameters().forEach((k, p) -> out.put(k, p.value().toFloatArray()));
    return out;
  }

  static double gradAbsSum(Module m) {
    double s = 0;
    for (Param p : m.trainableParameters().values()) {
      try (NDArray g = Autograd.grad(p.value())) {
        s += g.abs().sum().getFloat();
      }
    }
    return s;
  }

  static void assertSame(Map<String, float[]> before, Map<String, float[]> after, String what) {
    before.forEach((k, v) -> assertArrayEquals(v, after.get(k), what + " " + k));
  }

  @Test
  void stepsRunFiniteAndNeitherUpdateLeaksIntoTheOther() {
    try (Setup s = new Setup()) {
      AutoEncoderObjective obj = new AutoEncoderObjective(s.ae, s.disc,
          AutoEncoderObjective.Settings.latentDiffusion(1), s.lpips);
      for (int step = 0; step < 3; step++) {
        Map<String, float[]> discBefore = values(s.disc);
        Map<String, float[]> aeBefore = values(s.ae);
        AutoEncoderObjective.GeneratorTerms g =
            obj.generatorStep(s.aeTrainer, List.of(images(step)), B);
        for (double v : new double[] {g.reconstruction(), g.kl(), g.perceptual(), g.g(),
            g.adaptiveWeight(), g.total(), g.gradNorm()}) {
          assertTrue(Double.isFinite(v), g.toString());
        }
        assertTrue(g.perceptual() > 0, g.toString());
        assertEquals(0, gradAbsSum(s.disc), "discriminator gradients after the generator step");
        assertSame(discBefore, values(s.disc), "generator step changed the discriminator:");
        AutoEncoderObjective.DiscriminatorTerms d = obj.discriminatorStep(s.discTrainer);
        if (step == 0) {
          assertEquals(0, g.discFactor());
          assertEquals(0, g.adaptiveWeight());
          assertNull(d, "no discriminator step before disc-start");
          assertSame(discBefore, values(s.disc), "discriminator moved before disc-start:");
        } else {
          assertEquals(1, g.discFactor());
          assertTrue(g.adaptiveWeight() > 0, g.toString());
          assertNotNull(d);
          assertTrue(Double.isFinite(d.loss()) && d.loss() > 0, d.toString());
          assertFalse(java.util.Arrays.equals(discBefore.get("main.0.weight"),
              values(s.disc).get("main.0.weight")), "the discriminator step updates it");
        }
        assertEquals(0, gradAbsSum(s.ae), "autoencoder gradients after the discriminator step");
        assertEquals(0, gradAbsSum(s.disc), "discriminator gradients after its step");
        Map<String, float[]> aeAfter = values(s.ae);
        assertFalse(java.util.Arrays.equals(aeBefore.get("decoder.to_image.3.conv.weight"),
            aeAfter.get("decoder.to_image.3.conv.weight")), "the generator step updates the AE");
      }
    }
  }

  /**
   * The adaptive weight and the step's gradient norm against a direct computation: the same
   * forward (same Rng draws, same spectral-norm state), backward passes of nll and of g through
   * the whole autoencoder with the graph kept, the decoder's last weight gradient read after each;
   * then the total's gradient norm over every autoencoder parameter.
   */
  @Test
  void adaptiveWeightAndGradientEqualADirectComputation() {
    try (Setup s = new Setup()) {
      AutoEncoderObjective.Settings settings = new AutoEncoderObjective.Settings(
          AutoEncoderObjective.Reconstruction.L1, 0.7, 0.5, 0, 1.0, s.config);
      AutoEncoderObjective obj = new AutoEncoderObjective(s.ae, s.disc, settings, s.lpips);
      float[] images = images(9);
      Map<String, float[]> buffers = new LinkedHashMap<>();
      s.ae.parameters().forEach((k, p) -> {
        if (!p.trainable()) {
          buffers.put(k, p.value().toFloatArray());
        }
      });
      double expectedWeight;
      double expectedNorm;
      Param last = s.ae.parameters().get("decoder.to_image.3.conv.weight");
      List<NDArray> arrays = new ArrayList<>(s.ae.arrays());
      arrays.addAll(s.disc.arrays());
      try (StepScope scope = StepScope.open(s.root, arrays);
          Autograd rec = Autograd.record()) {
        Rng rng = Rng.fromState(s.aeTrainer.rng().state());
        Ctx ctx = Ctx.train(scope.manager(), rng);
        NDArray x = ctx.create(images, new Shape(B, 3, 32, 32));
        LatentPyramid q = s.ae.encode(ctx, x);
        NDList z = q.sample(ctx, rng);
        NDArray y = s.ae.decode(ctx, z);
        NDArray nll = y.sub(x).abs().mean().add(Ops.scale(s.lpips.distance(y, x).mean(), 0.7));
        NDArray g = s.disc.forward(ctx, y).mean().neg();
        NDArray kl = Ops.scale(q.kl(), s.config.klWeight() / (3 * 32 * 32));
        JniUtils.backward((PtNDArray) nll, (PtNDArray) nll.onesLike(), true, false);
        double nllNorm = Autograd.grad(last.value()).norm().getFloat();
        zero(s.ae);
        JniUtils.backward((PtNDArray) g, (PtNDArray) g.onesLike(), true, false);
        double gNorm = Autograd.grad(last.value()).norm().getFloat();
        zero(s.ae);
        expectedWeight = 0.5 * Math.min(1e4, nllNorm / (gNorm + 1e-4));
        NDArray total = nll.add(Ops.scale(g, expectedWeight)).add(kl);
        Autograd.backward(total);
        double sq = 0;
        for (Param p : s.ae.trainableParameters().values()) {
          sq += Autograd.grad(p.value()).square().sum().getFloat();
        }
        expectedNorm = Math.sqrt(sq);
        zero(s.ae);
        zero(s.disc);
      }
      buffers.forEach((k, v) -> s.ae.parameters().get(k).set(v)); // undo the power iteration
      AutoEncoderObjective.GeneratorTerms t = obj.generatorStep(s.aeTrainer, List.of(images), B);
      assertEquals(expectedWeight, t.adaptiveWeight(), 1e-4 * expectedWeight, t.toString());
      assertEquals(expectedNorm, t.gradNorm(), 1e-4 * expectedNorm, t.toString());
    }
  }

  static void zero(Module m) {
    Trainer.zeroGrads(m);
  }
}
