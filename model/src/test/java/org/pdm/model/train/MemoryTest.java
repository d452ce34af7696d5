package org.pdm.model.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.bench.ModelBenchmark;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.flow.RectifiedFlow;
import org.pdm.model.nn.Rng;
import org.pdm.model.unet.PyramidUNet;

/** 500 training steps keep the resident size flat (every step runs in its own scope). */
class MemoryTest {

  @Test
  void fiveHundredTrainingStepsKeepResidentMemoryFlat() {
    // a smaller cousin of unet-tiny (same blocks: spectral norm, attention, branches, dropout) so
    // that 500 steps fit a unit test; the scope rule does not depend on the size
    UNetConfig c = (UNetConfig) ModelConfigs.parse("""
        model {
          type = unet
          levels { sizes = [[4, 4], [2, 2]], channels = [2, 4] }
          channels = 8
          channel-mult = [1, 2]
          res-blocks = 1
          attention-resolutions = [2]
          branch-blocks = 1
        }
        """);
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidUNet net = new PyramidUNet(c);
      net.initialize(m, 1);
      Trainer trainer = new Trainer(net, TrainConfig.defaults().withWarmup(0).withLr(1e-4));
      RectifiedFlow flow = new RectifiedFlow();
      Rng data = new Rng(3);
      long[] rss = new long[5]; // after 100, 200, 300, 400, 500 steps
      for (int step = 0; step < 500; step++) {
        trainer.step(ctx -> {
          NDList z1 = new NDList();
          for (LevelSpec l : c.levels()) {
            Shape s = new Shape(2, l.channels(), l.height(), l.width());
            z1.add(ctx.create(data.normal((int) s.size()), s));
          }
          return flow.loss(z1, ctx.rng(), (zt, t) -> net.forward(ctx, zt, t));
        });
        if ((step + 1) % 100 == 0) {
          System.gc();
          rss[step / 100] = ModelBenchmark.status("VmRSS");
        }
      }
      System.out.println("RSS (MB) after 100..500 steps: " + java.util.Arrays.toString(rss));
      // the allocator's high-water mark wanders by ~50-100 MB; a leak of one step's tensors
      // (~0.5 MB here) would add 150 MB over the last 300 steps, and the growth would be monotone
      long plateau = Math.min(rss[1], Math.min(rss[2], rss[3]));
      assertTrue(rss[4] - plateau < 120, "RSS kept growing: " + java.util.Arrays.toString(rss));
    }
  }
}
