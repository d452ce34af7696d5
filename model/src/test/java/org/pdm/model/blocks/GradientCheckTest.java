package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Rng;

/** Gradients of every custom block against finite differences (float64). */
class GradientCheckTest {

  @Test
  void groupNorm() {
    try (NDManager m = TestSupport.cpuManager()) {
      GroupNorm gn = new GroupNorm(8, 4);
      GradCheck.check(m, gn, new Shape(2, 8, 3, 3), gn::forward, 0);
    }
  }

  @Test
  void spectrallyNormalisedConvolutionAndLinear() {
    try (NDManager m = TestSupport.cpuManager()) {
      Conv2dLayer conv = new Conv2dLayer(3, 5, 3, true);
      GradCheck.check(m, conv, new Shape(2, 3, 4, 4), conv::forward, 5);
      LinearLayer lin = new LinearLayer(6, 4, true);
      GradCheck.check(m, lin, new Shape(3, 6), lin::forward, 5);
    }
  }

  @Test
  void resBlocksPlainDownAndUpWithTimeEmbedding() {
    try (NDManager m = TestSupport.cpuManager()) {
      for (ResBlock.Resample r : ResBlock.Resample.values()) {
        ResBlock block = new ResBlock(4, 8, 6, r, 0.0, true, true);
        Module holder = new Holder(block);
        NDArray temb = m.create(GradCheck.toDouble(new Rng(9).normal(12)), new Shape(2, 6));
        GradCheck.check(m, holder, new Shape(2, 4, 4, 4), (ctx, x) -> block.forward(ctx, x, temb), 3,
            true);
      }
    }
  }

  @Test
  void spatialChannelAttention() {
    try (NDManager m = TestSupport.cpuManager()) {
      SpatialChannelAttention a = new SpatialChannelAttention(8, true, false);
      // the projection starts near zero, which would hide the attention's gradient: randomise it
      GradCheck.check(m, a, new Shape(2, 8, 3, 2), a::forward, 0, true);
    }
  }

  @Test
  void linearAttentionAndVit() {
    try (NDManager m = TestSupport.cpuManager()) {
      LinearAttention la = new LinearAttention(8, 2, true, true);
      GradCheck.check(m, la, new Shape(2, 8, 3, 3), la::forward, 3, true);
      VitBlock vit = new VitBlock(8, 2, 3, 2);
      GradCheck.check(m, vit, new Shape(2, 8, 3, 2), vit::forward, 0, true);
    }
  }

  @Test
  void timeEmbeddingBothKinds() {
    try (NDManager m = TestSupport.cpuManager()) {
      for (TimeEmbedding.Kind k : TimeEmbedding.Kind.values()) {
        TimeEmbedding te = new TimeEmbedding(k, 8, false);
        GradCheck.check(m, te, new Shape(3), (ctx, t) -> te.forward(ctx, org.pdm.model.nn.Ops.scale(t, 0.1)), 0);
      }
    }
  }

  /** Wraps a block as the module whose parameters are checked. */
  private static final class Holder extends Module {
    Holder(Module inner) {
      child("inner", inner);
    }
  }
}
