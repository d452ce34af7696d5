package org.pdm.model.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.autoencoder.PyramidAutoEncoder.Fill;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;

/** The decoder's level dropping (paper Fig. 7): a dropped level's latent has no influence. */
class DroppedLevelDecodeTest {
  private static final AutoEncoderConfig TINY =
      (AutoEncoderConfig) TestSupport.conf("autoencoder-tiny.conf");

  private static NDList latents(Ctx ctx, Rng rng) {
    NDList z = new NDList();
    for (LevelSpec l : TINY.latents()) {
      Shape s = new Shape(2, l.channels(), l.height(), l.width());
      z.add(ctx.create(rng.normal((int) s.size()), s));
    }
    return z;
  }

  /** z with level j replaced by other values. */
  private static NDList changed(Ctx ctx, NDList z, int j, Rng rng) {
    NDList out = new NDList();
    for (int i = 0; i < z.size(); i++) {
      NDArray zi = z.get(i);
      out.add(i == j ? ctx.create(rng.normal((int) zi.size()), zi.getShape()) : zi);
    }
    return out;
  }

  @Test
  void aDroppedLevelsLatentDoesNotChangeTheDecodeButAKeptOneDoes() {
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(TINY);
      ae.initialize(m, 1);
      try (StepScope s = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(s.manager());
        NDList z = latents(ctx, new Rng(1));
        for (int j = 0; j < z.size(); j++) {
          NDList other = changed(ctx, z, j, new Rng(2 + j));
          boolean[] keep = new boolean[z.size()];
          Arrays.fill(keep, true);
          keep[j] = false;
          for (Fill fill : Fill.values()) {
            float[] a = ae.decode(ctx, z, keep, fill, new Rng(7)).toFloatArray();
            float[] b = ae.decode(ctx, other, keep, fill, new Rng(7)).toFloatArray();
            assertArrayEquals(a, b, 0f, "level " + j + " dropped (" + fill + ")");
          }
          // kept, the same change shows: the equality above is not a decoder that ignores level j
          NDArray kept = ae.decode(ctx, z).sub(ae.decode(ctx, other));
          assertTrue(kept.abs().max().getFloat() > 1e-4, "level " + j + " kept has no effect");
        }
      }
    }
  }

  @Test
  void keepingEveryLevelEqualsAPlainDecode() {
    try (NDManager m = TestSupport.cpuManager()) {
      PyramidAutoEncoder ae = new PyramidAutoEncoder(TINY);
      ae.initialize(m, 1);
      try (StepScope s = StepScope.open(ae)) {
        Ctx ctx = Ctx.eval(s.manager());
        NDList z = latents(ctx, new Rng(3));
        boolean[] all = new boolean[z.size()];
        Arrays.fill(all, true);
        float[] plain = ae.decode(ctx, z).toFloatArray();
        for (Fill fill : Fill.values()) {
          assertArrayEquals(plain, ae.decode(ctx, z, all, fill, new Rng(4)).toFloatArray(), 0f,
              fill.toString());
        }
      }
    }
  }
}
