package org.pdm.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pdm.model.Models;
import org.pdm.model.TestSupport;
import org.pdm.model.autoencoder.LatentPyramid;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.flow.RectifiedFlow;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Rng;
import org.pdm.model.unet.PyramidUNet;

/**
 * Two replicas on the CPU, one step on a global batch of 4, against one Trainer on the same 4
 * samples: same loss, same gradient norm, same weights after the step (and after a second one:
 * the replicas are kept in sync). Dropout is off (its masks are drawn per replica); Adam's eps is
 * 1 so that the update is a smooth function of the gradient (with eps 1e-8 the first update is
 * lr * sign(g), which float rounding could flip for a gradient near 0).
 */
class DataParallelTrainerTest {
  static final int B = 4;
  static final TrainConfig TRAIN = new TrainConfig(1e-2, 0.9, 0.999, 1.0, 0, 0, 1.0, 1, 0.999, 5);

  /** A tiny config from conf/model with dropout off. */
  static ModelConfig noDropout(String name) {
    return ModelConfigs.fromConfig(ConfigFactory.parseString(
        "model.dropout { lowest = 0, highest = 0 }").withFallback(ConfigFactory.parseFile(
        TestSupport.confDir().resolve(name).toFile())).resolve());
  }

  interface Loss {
    /** The loss of samples [from, to) on {@code model}; draws were made for the whole batch. */
    NDArray apply(Ctx ctx, Module model, int from, int to);
  }

  interface Draws {
    Loss draw(Rng master);
  }

  /** Runs {@code steps} steps both ways; returns nothing, asserts equality. */
  static void compare(ModelConfig config, int steps, Draws draws) {
    try (NDManager root = TestSupport.cpuManager()) {
      Module single = Models.build(config);
      single.initialize(root.newSubManager(), 11);
      Module master = Models.build(config);
      master.initialize(root.newSubManager(), 11);
      Module replica = Models.build(config);
      replica.initialize(root.newSubManager(Device.cpu()), 99); // overwritten by the master's
      Trainer one = new Trainer(single, TRAIN);
      try (DataParallelTrainer dp = new DataParallelTrainer(new Trainer(master, TRAIN),
          List.of(replica))) {
        List<Module> models = dp.replicas();
        for (int s = 0; s < steps; s++) {
          Loss a = draws.draw(one.rng());
          Trainer.StepResult r1 = one.step(ctx -> a.apply(ctx, single, 0, B));
          Loss b = draws.draw(dp.rng());
          Trainer.StepResult r2 = dp.step(B,
              (ctx, r, from, to) -> b.apply(ctx, models.get(r), from, to));
          assertEquals(r1.loss(), r2.loss(), 1e-5 * Math.abs(r1.loss()), "loss, step " + s);
          assertEquals(r1.gradNorm(), r2.gradNorm(), 1e-4 * r1.gradNorm(), "grad norm, step " + s);
          assertClose(values(single), values(master), "master, step " + s);
          assertClose(values(master), values(replica), "replica, step " + s);
        }
      }
    }
  }

  static Map<String, float[]> values(Module m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    m.parameters().forEach((k, p) -> out.put(k, p.value().toFloatArray()));
    return out;
  }

  static void assertClose(Map<String, float[]> a, Map<String, float[]> b, String what) {
    for (String k : a.keySet()) {
      float[] x = a.get(k);
      float[] y = b.get(k);
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], y[i], 2e-6 + 1e-5 * Math.abs(x[i]), what + " " + k + "[" + i + "]");
      }
    }
  }

  static float[] slice(float[] all, int from, int to) {
    int per = all.length / B;
    return Arrays.copyOfRange(all, from * per, to * per);
  }

  @Test
  void flowStepEqualsOneDevice() {
    UNetConfig c = (UNetConfig) noDropout("unet-tiny.conf");
    List<Shape> levels = new ArrayList<>();
    List<float[]> z1 = new ArrayList<>();
    Rng data = new Rng(3);
    for (LevelSpec l : c.levels()) {
      levels.add(new Shape(l.channels(), l.height(), l.width()));
      z1.add(data.normal(B * l.channels() * l.height() * l.width()));
    }
    RectifiedFlow flow = new RectifiedFlow();
    compare(c, 2, master -> {
      RectifiedFlow.Draw d = flow.draw(B, levels, master);
      return (ctx, model, from, to) -> {
        NDList z = new NDList();
        for (int i = 0; i < levels.size(); i++) {
          z.add(ctx.create(slice(z1.get(i), from, to), new Shape(to - from).addAll(levels.get(i))));
        }
        return flow.loss(z, d.slice(from, to), (zt, t) -> ((PyramidUNet) model).forward(ctx, zt, t));
      };
    });
  }

  @Test
  void autoencoderStepEqualsOneDevice() {
    AutoEncoderConfig c = (AutoEncoderConfig) noDropout("autoencoder-tiny.conf");
    float[] images = new Rng(4).uniform(B * 3 * 32 * 32, -1, 1);
    long n = 3 * 32 * 32;
    compare(c, 2, master -> {
      List<float[]> eps = new ArrayList<>();
      for (LevelSpec l : c.latents()) {
        eps.add(master.normal(B * l.channels() * l.height() * l.width()));
      }
      return (ctx, model, from, to) -> {
        PyramidAutoEncoder ae = (PyramidAutoEncoder) model;
        NDArray x = ctx.create(slice(images, from, to), new Shape(to - from, 3, 32, 32));
        LatentPyramid q = ae.encode(ctx, x);
        NDList noise = new NDList();
        for (int i = 0; i < eps.size(); i++) {
          LevelSpec l = c.latents().get(i);
          noise.add(ctx.create(slice(eps.get(i), from, to),
              new Shape(to - from, l.channels(), l.height(), l.width())));
        }
        NDArray rec = ae.decode(ctx, q.sample(noise));
        return rec.sub(x).square().mean().add(Ops.scale(q.kl(), c.klWeight() / n));
      };
    });
  }

  @Test
  void shardsAreContiguousAndBalanced() {
    assertArrayEquals(new int[][] {{0, 3}, {3, 5}, {5, 7}}, DataParallelTrainer.shards(7, 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataParallelTrainer.shards(1, 2));
    assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
  }
}
