package org.pdm.model.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Rng;

class LatentScalerTest {

  @Test
  void estimatesStdOverTheFirstHundredStepsAndSkipsSmallOnes() {
    try (NDManager m = TestSupport.cpuManager()) {
      LatentScaler s = new LatentScaler(2);
      Rng rng = new Rng(1);
      for (int i = 0; i < 150; i++) {
        float[] a = rng.normal(512);
        float[] b = rng.normal(512);
        for (int j = 0; j < 512; j++) {
          a[j] = 3 * a[j] + 1; // std 3
          b[j] *= 0.5f; // std 0.5: left as is
        }
        s.observe(new NDList(m.create(a, new Shape(8, 64)), m.create(b, new Shape(8, 64))));
        assertEquals(i + 1 >= 100, s.isFrozen());
      }
      assertEquals(100, s.updates());
      assertEquals(3.0, s.std()[0], 0.1);
      assertEquals(0.5, s.std()[1], 0.05);
      assertEquals(s.std()[0], s.divisors()[0], 0);
      assertEquals(1.0, s.divisors()[1], 0);
      NDList z = new NDList(m.full(new Shape(2), 6f), m.full(new Shape(2), 0.4f));
      NDList scaled = s.scale(z);
      assertEquals(6 / s.std()[0], scaled.get(0).getFloat(0), 1e-5);
      assertEquals(0.4f, scaled.get(1).getFloat(0));
      assertEquals(6f, s.unscale(scaled).get(0).getFloat(0), 1e-5);
      assertTrue(s.isFrozen());
      assertFalse(new LatentScaler(1).isFrozen());
    }
  }
}
