package org.pdm.model.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;

class SpatialChannelAttentionTest {

  @Test
  void mixWeightsReproduceFigure3() {
    // 16x16x1024: 256 / 1280 and 1024 / 1280
    assertArrayEquals(new double[] {0.2, 0.8}, SpatialChannelAttention.mixWeights(16 * 16, 1024),
        1e-12);
    // 32x32x512: 1024 / 1536 and 512 / 1536
    double[] w = SpatialChannelAttention.mixWeights(32 * 32, 512);
    assertEquals(0.6667, w[0], 5e-5);
    assertEquals(0.3333, w[1], 5e-5);
  }

  @Test
  void keepsTheShapeAndStartsAsIdentityUpToSkipRescale() {
    try (NDManager m = TestSupport.cpuManager()) {
      SpatialChannelAttention a = new SpatialChannelAttention(16, false, false);
      a.initialize(m, 1);
      Shape s = new Shape(2, 16, 4, 3);
      NDArray x = m.create(new Rng(1).normal((int) s.size()), s);
      NDArray y = a.forward(Ctx.eval(m), x);
      assertEquals(s, y.getShape());
      // the output projection is initialised at ~1e-10 scale: the block starts close to identity
      assertEquals(0f, y.sub(x).abs().max().getFloat(), 1e-4f);
    }
  }

  @Test
  void parameterCountIsNormPlusFourOneByOneConvolutions() {
    int c = 16;
    long expected = 2L * c + 4L * (c * c + c);
    assertEquals(expected, new SpatialChannelAttention(c, true, false).numParameters());
  }
}
