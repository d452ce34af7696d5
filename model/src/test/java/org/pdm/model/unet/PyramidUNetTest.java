package org.pdm.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.UNetConfig;
import java.util.ArrayList;
import java.util.List;
import org.pdm.model.blocks.ResBlock;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;

class PyramidUNetTest {

  @Test
  void emitsOneDriftPerLevelWithTheLevelsShape() {
    UNetConfig c = (UNetConfig) TestSupport.conf("unet-tiny.conf");
    PyramidUNet net = new PyramidUNet(c);
    try (NDManager m = TestSupport.cpuManager()) {
      net.initialize(m, 1);
      try (StepScope s = StepScope.open(net)) {
        Rng rng = new Rng(3);
        NDList z = new NDList();
        for (LevelSpec l : c.levels()) {
          Shape shape = new Shape(2, l.channels(), l.height(), l.width());
          z.add(s.manager().create(rng.normal((int) shape.size()), shape));
        }
        NDArray t = s.manager().create(new float[] {0.1f, 0.9f});
        NDList v = net.forward(Ctx.eval(s.manager()), z, t);
        assertEquals(z.size(), v.size());
        for (int i = 0; i < z.size(); i++) {
          assertEquals(z.get(i).getShape(), v.get(i).getShape());
          assertTrue(Float.isFinite(v.get(i).abs().sum().getFloat()));
        }
      }
    }
  }

  /**
   * Cross-level routing (input-skip into the shared backbone, res-skip out of it): perturbing level
   * j's input changes every level i's drift, for every pair (i, j), including i != j. Eval mode, so
   * that no dropout mask differs between the two passes.
   */
  @Test
  void eachLevelsInputReachesEveryLevelsDrift() {
    UNetConfig c = (UNetConfig) TestSupport.conf("unet-tiny.conf");
    PyramidUNet net = new PyramidUNet(c);
    int levels = c.levels().size();
    try (NDManager m = TestSupport.cpuManager()) {
      net.initialize(m, 5);
      try (StepScope s = StepScope.open(net)) {
        Ctx ctx = Ctx.eval(s.manager());
        Rng rng = new Rng(11);
        NDList z = new NDList();
        for (LevelSpec l : c.levels()) {
          Shape shape = new Shape(1, l.channels(), l.height(), l.width());
          z.add(s.manager().create(rng.normal((int) shape.size()), shape));
        }
        NDArray t = s.manager().create(new float[] {0.5f});
        NDList base = net.forward(ctx, z, t);
        for (int j = 0; j < levels; j++) {
          NDList perturbed = new NDList();
          for (int k = 0; k < levels; k++) {
            NDArray zk = z.get(k);
            perturbed.add(k == j ? zk.add(s.manager().create(rng.normal((int) zk.size()),
                zk.getShape())) : zk);
          }
          NDList v = net.forward(ctx, perturbed, t);
          for (int i = 0; i < levels; i++) {
            float change = v.get(i).sub(base.get(i)).abs().max().getFloat();
            float scale = base.get(i).abs().max().getFloat();
            assertTrue(change > 1e-3 * scale,
                "level " + j + "'s input does not reach level " + i + "'s drift: " + change);
          }
        }
      }
    }
  }

  @Test
  void hostArraySamplingIsDeterministicAndLeavesNothingAllocated() {
    UNetConfig c = (UNetConfig) TestSupport.conf("unet-tiny.conf");
    PyramidUNet net = new PyramidUNet(c);
    try (NDManager m = TestSupport.cpuManager()) {
      net.initialize(m, 2);
      int arrays = m.getManagedArrays().size();
      org.pdm.model.flow.EulerSampler euler = new org.pdm.model.flow.EulerSampler(4, 1e-3);
      float[][] a = net.sample(m, euler, 2, new Rng(9));
      float[][] b = net.sample(m, euler, 2, new Rng(9));
      for (int i = 0; i < a.length; i++) {
        assertEquals(2 * c.levels().get(i).size(), a[i].length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a[i], b[i], 0f);
      }
      assertEquals(arrays, m.getManagedArrays().size());
    }
  }

  /** Rates of the ResBlocks of {@code list}, in order. */
  private static List<Double> rates(Module list) {
    List<Double> out = new ArrayList<>();
    for (Module m : ((ModuleList<?>) list).items()) {
      if (m instanceof ResBlock rb) {
        out.add(rb.dropoutRate());
      }
    }
    return out;
  }

  @Test
  void dropoutIsHighestAtTheLowestResolution() {
    // unet-256: backbone 32, 16, 8, 4 -> rates 0, 0.35/3, 0.7/3, 0.35 (lowest = 0.35 at 4x4)
    UNetConfig c = (UNetConfig) TestSupport.conf("unet-256.conf");
    PyramidUNet net = new PyramidUNet(c);
    int n = c.numResolutions();
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = 0.35 * i / (n - 1);
    }
    ModuleList<?> down = (ModuleList<?>) net.children().get("down");
    for (int i = 0; i < n; i++) {
      List<Double> r = rates(down.get(i));
      for (int j = 0; j < r.size(); j++) {
        // the last block of a stage above the lowest downsamples into resolution i + 1
        double expected = i < n - 1 && j == r.size() - 1 ? p[i + 1] : p[i];
        assertEquals(expected, r.get(j), 1e-12, "down." + i + " block " + j);
      }
    }
    for (double r : rates(net.children().get("mid"))) {
      assertEquals(0.35, r, 1e-12, "middle block");
    }
    ModuleList<?> up = (ModuleList<?>) net.children().get("up");
    for (int k = 0; k < n; k++) {
      int i = n - 1 - k;
      List<Double> r = rates(up.get(k));
      for (int j = 0; j < r.size(); j++) {
        double expected = i > 0 && j == r.size() - 1 ? p[i - 1] : p[i];
        assertEquals(expected, r.get(j), 1e-12, "up." + k + " block " + j);
      }
    }
  }
}
