package org.pdm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.ModelConfigFiles;
import org.pdm.model.autoencoder.PyramidAutoEncoder.Fill;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.nn.Rng;
import org.pdm.model.train.Checkpoint;

/** The decoder the notebooks use, on a freshly initialized autoencoder-tiny (32x32, levels 4x8x8 + 8x4x4). */
class LatentDecoderTest {
  @TempDir
  Path dir;

  @Test
  void decodesWholePyramidsAndPyramidsWithLevelsDropped() throws Exception {
    Checkpoint.initialize(dir, ModelConfigs.load(ModelConfigFiles.resolve("autoencoder-tiny")), 3);
    try (LatentDecoder decoder = LatentDecoder.load(dir, false)) {
      Rng rng = new Rng(5);
      float[][] z = {rng.normal(2 * 4 * 8 * 8), rng.normal(2 * 8 * 4 * 4)}; // a batch of two
      float[] all = decoder.decode(z, 2);
      assertEquals(2 * 3 * 32 * 32, all.length);
      // Every level kept is the plain decode; the fill is not used then.
      assertArrayEquals(all, decoder.decodeKeeping(z, 2, new boolean[] {true, true}, Fill.NOISE, 1), 1e-5f);
      // Dropping a level changes the picture; zeros are zeros whatever the seed, noise depends on it.
      float[] onlyZ0 = decoder.decodeKeeping(z, 2, new boolean[] {true, false}, Fill.ZEROS, 1);
      assertFalse(Arrays.equals(all, onlyZ0));
      assertArrayEquals(onlyZ0, decoder.decodeKeeping(z, 2, new boolean[] {true, false}, Fill.ZEROS, 2), 1e-6f);
      float[] noise1 = decoder.decodeKeeping(z, 2, new boolean[] {true, false}, Fill.NOISE, 1);
      assertFalse(Arrays.equals(noise1, decoder.decodeKeeping(z, 2, new boolean[] {true, false}, Fill.NOISE, 2)));
      assertThrows(IllegalArgumentException.class, () -> decoder.decodeKeeping(z, 2, new boolean[] {true}, Fill.ZEROS, 1));
      // The decoded batch as pictures: 32x32 each.
      assertEquals(32, ImageGrid.fromChw(all, 2, 32, 32).get(1).getWidth());
    }
  }
}
