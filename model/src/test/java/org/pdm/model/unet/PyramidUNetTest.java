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
import org.pdm.model.nn.Ctx;
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
}
