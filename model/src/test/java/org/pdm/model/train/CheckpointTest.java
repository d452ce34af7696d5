package org.pdm.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.model.TestSupport;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.flow.RectifiedFlow;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Rng;
import org.pdm.model.unet.PyramidUNet;

class CheckpointTest {
  private static final UNetConfig CONFIG = (UNetConfig) TestSupport.conf("unet-tiny.conf");
  private static final TrainConfig TRAIN = TrainConfig.defaults().withWarmup(3).withLr(1e-3)
      .withEmaDecay(0.9).withAccumulation(2).withSeed(7);

  /** Deterministic toy data: each step's micro-batch k depends only on (step, k). */
  private static LossFunction microBatch(PyramidUNet net, long step, int k) {
    return ctx -> {
      Rng data = new Rng(1000 * step + k);
      NDList z1 = new NDList();
      for (LevelSpec l : CONFIG.levels()) {
        Shape s = new Shape(2, l.channels(), l.height(), l.width());
        z1.add(ctx.create(data.normal((int) s.size()), s).mul(0.5f).add(1f));
      }
      return new RectifiedFlow().loss(z1, ctx.rng(), (zt, t) -> net.forward(ctx, zt, t));
    };
  }

  private static void train(Trainer trainer, int steps) {
    PyramidUNet net = (PyramidUNet) trainer.model();
    for (int i = 0; i < steps; i++) {
      long s = trainer.step();
      trainer.step(java.util.List.of(microBatch(net, s, 0), microBatch(net, s, 1)));
    }
  }

  private static Map<String, float[]> snapshot(Trainer t) {
    Map<String, float[]> out = new LinkedHashMap<>();
    t.model().parameters().forEach((k, p) -> out.put("w." + k, p.value().toFloatArray()));
    t.ema().weights().forEach((k, a) -> out.put("ema." + k, a.toFloatArray()));
    t.adam().state().forEach((k, a) -> out.put("adam." + k, a.toFloatArray()));
    return out;
  }

  private static void assertSame(Map<String, float[]> a, Map<String, float[]> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), 0f, k); // bit-exact (delta 0)
    }
  }

  @Test
  void resumeContinuesTheSameRunBitExactly(@TempDir Path tmp) throws Exception {
    int n = 4;
    Map<String, float[]> straight;
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidUNet net = new PyramidUNet(CONFIG);
      net.initialize(m, TRAIN.seed());
      Trainer t = new Trainer(net, TRAIN);
      train(t, n);
      straight = snapshot(t);
    }
    Path ckpt = tmp.resolve("ckpt");
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidUNet net = new PyramidUNet(CONFIG);
      net.initialize(m, TRAIN.seed());
      Trainer t = new Trainer(net, TRAIN);
      train(t, n / 2);
      Checkpoint.save(ckpt, CONFIG, t, null);
    }
    try (NDManager m = TestSupport.cpuManager()) {
      Checkpoint.Loaded loaded = Checkpoint.resume(ckpt, m, Device.cpu());
      assertEquals(n / 2, loaded.step());
      train(loaded.trainer(), n - n / 2);
      assertSame(straight, snapshot(loaded.trainer()));
    }
  }

  @Test
  void roundTripIsBitExactAndAtomic(@TempDir Path tmp) throws Exception {
    Path ckpt = tmp.resolve("ckpt");
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidUNet net = new PyramidUNet(CONFIG);
      net.initialize(m, 3);
      Trainer t = new Trainer(net, TRAIN);
      train(t, 1);
      LatentScaler scaler = LatentScaler.restore(new double[] {2.5, 0.5}, 100, 100, 0.99);
      Checkpoint.save(ckpt, CONFIG, t, scaler);
      Checkpoint.save(ckpt, CONFIG, t, scaler); // overwriting an existing checkpoint
      try (var files = Files.list(tmp)) {
        assertEquals(1, files.count(), "no temporary or old directories are left behind");
      }
      Checkpoint.Loaded w = Checkpoint.loadModel(ckpt, m, Device.cpu(), false);
      Checkpoint.Loaded e = Checkpoint.loadModel(ckpt, m, Device.cpu(), true);
      assertEquals(CONFIG.render(), w.config().render());
      assertArrayEquals(new double[] {2.5, 0.5}, w.scaler().std());
      for (Map.Entry<String, org.pdm.model.nn.Param> p : net.parameters().entrySet()) {
        assertArrayEquals(p.getValue().value().toFloatArray(),
            w.model().parameters().get(p.getKey()).value().toFloatArray(), 0f, p.getKey());
        assertArrayEquals(t.ema().weights().get(p.getKey()).toFloatArray(),
            e.model().parameters().get(p.getKey()).value().toFloatArray(), 0f, p.getKey());
      }
      // EMA (decay 0.9 after one step) differs from the raw weights somewhere
      boolean differs = false;
      for (Map.Entry<String, NDArray> a : t.ema().weights().entrySet()) {
        differs |= !java.util.Arrays.equals(a.getValue().toFloatArray(),
            net.parameters().get(a.getKey()).value().toFloatArray());
      }
      assertTrue(differs);
    }
    assertFalse(Files.exists(tmp.resolve(".ckpt.tmp")));
  }

  @Test
  void aCrashBetweenTheTwoRenamesLosesNothing(@TempDir Path tmp) throws Exception {
    Path ckpt = tmp.resolve("ckpt");
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidUNet net = new PyramidUNet(CONFIG);
      net.initialize(m, 3);
      Trainer t = new Trainer(net, TRAIN);
      train(t, 1);
      Checkpoint.save(ckpt, CONFIG, t, null);
      Map<String, float[]> saved = snapshot(t);

      // the crash state of replace(): the checkpoint moved aside, the new one still a temporary
      // (here half written), no ckpt folder at all
      Files.move(ckpt, tmp.resolve(".ckpt.old-1700000000000-42"));
      Files.createDirectories(tmp.resolve(".ckpt.tmp-123"));
      Files.writeString(tmp.resolve(".ckpt.tmp-123/checkpoint.json"), "{\"trunc");
      assertFalse(Files.exists(ckpt));
      Checkpoint.Loaded r = Checkpoint.resume(ckpt, m, Device.cpu());
      assertEquals(1, r.step());
      assertSame(saved, snapshot(r.trainer()));
      assertTrue(Files.isDirectory(ckpt));
      assertFalse(Files.exists(tmp.resolve(".ckpt.old-1700000000000-42")));

      // the same crash, then a save instead of a load: the save must not start from nothing and
      // must leave a single checkpoint
      Files.move(ckpt, tmp.resolve(".ckpt.old-1700000000001-43"));
      train(t, 1);
      Checkpoint.save(ckpt, CONFIG, t, null);
      assertEquals(2, Checkpoint.loadModel(ckpt, m, Device.cpu(), false).step());
      try (var files = Files.list(tmp)) {
        assertEquals(List.of("ckpt"), files.map(p -> p.getFileName().toString())
            .filter(n -> !n.startsWith(".ckpt.tmp-123")).sorted().toList());
      }

      // a crash after the second rename, during the deletion: ckpt is the new one, the partial
      // leftover is removed and never read
      Files.createDirectories(tmp.resolve(".ckpt.old-1700000000002-44"));
      assertEquals(2, Checkpoint.loadModel(ckpt, m, Device.cpu(), false).step());
      assertFalse(Files.exists(tmp.resolve(".ckpt.old-1700000000002-44")));
    }
  }

  /** A second trainer (a discriminator's) saved beside the main one comes back whole. */
  @Test
  void companionTrainerRoundTrips(@TempDir Path tmp) throws Exception {
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidUNet net = new PyramidUNet(CONFIG);
      net.initialize(m.newSubManager(), 1);
      PyramidUNet other = new PyramidUNet(CONFIG);
      other.initialize(m.newSubManager(), 2);
      Trainer main = new Trainer(net, TRAIN);
      Trainer companion = new Trainer(other, TRAIN.withBetas(0.5, 0.9).withSeed(9));
      train(main, 1);
      train(companion, 2);
      Path dir = tmp.resolve("ckpt");
      Checkpoint.save(dir, CONFIG, main, null, new com.google.gson.JsonObject(), Map.of("disc", companion));
      for (String f : List.of("disc.safetensors", "disc-ema.safetensors", "disc-optimizer.safetensors")) {
        assertTrue(Files.isRegularFile(dir.resolve(f)), f);
      }
      PyramidUNet fresh = new PyramidUNet(CONFIG);
      fresh.initialize(m.newSubManager(), 3);
      Trainer back = Checkpoint.resumeCompanion(dir, "disc", fresh);
      assertSame(snapshot(companion), snapshot(back));
      assertEquals(2, back.step());
      assertArrayEquals(companion.rng().state(), back.rng().state());
      assertEquals(0.5, back.config().beta1());
      assertEquals(1, Checkpoint.resume(dir, m, Device.cpu()).step(), "the main trainer reads as before");
      PyramidUNet another = new PyramidUNet(CONFIG);
      another.initialize(m.newSubManager(), 4);
      java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> Checkpoint.resumeCompanion(dir, "missing", another));
      assertTrue(e.getMessage().contains("holds no missing state"), e.getMessage());
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(
          tmp.resolve("bad"), CONFIG, main, null, new com.google.gson.JsonObject(), Map.of("weights", companion)));
    }
  }
}
