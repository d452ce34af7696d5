package org.pdm.model.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;

class ResBlockTest {

  @Test
  void parameterCountMatchesTheLayersByHand() {
    int in = 8;
    int out = 16;
    int t = 32;
    long gn0 = 2L * in;
    long conv0 = out * in * 9L + out;
    long dense0 = (long) t * out + out;
    long gn1 = 2L * out;
    long conv1 = out * out * 9L + out;
    long conv2 = (long) out * in + out; // 1x1 skip since the width changes
    assertEquals(gn0 + conv0 + dense0 + gn1 + conv1 + conv2,
        new ResBlock(in, out, t, ResBlock.Resample.NONE, 0.1, true, false).numParameters());
    // same width, no resampling: no 1x1 skip; spectral norm adds buffers, not parameters
    long same = 2L * out + (out * out * 9L + out) * 2 + 2L * out;
    assertEquals(same, new ResBlock(out, out, 0, ResBlock.Resample.NONE, 0, true, true)
        .numParameters());
  }

  @Test
  void resamplesByTwo() {
    try (NDManager m = TestSupport.cpuManager()) {
      Shape s = new Shape(2, 4, 8, 6);
      NDArray x = m.create(new Rng(2).normal((int) s.size()), s);
      NDArray temb = m.create(new Rng(3).normal(2 * 12), new Shape(2, 12));
      ResBlock up = new ResBlock(4, 8, 12, ResBlock.Resample.UP, 0.2, true, true);
      up.initialize(m, 1);
      assertEquals(new Shape(2, 8, 16, 12), up.forward(Ctx.train(m, new Rng(1)), x, temb).getShape());
      ResBlock down = new ResBlock(4, 4, 12, ResBlock.Resample.DOWN, 0, true, false);
      down.initialize(m, 1);
      assertEquals(new Shape(2, 4, 4, 3), down.forward(Ctx.eval(m), x, temb).getShape());
    }
  }
}
