package org.pdm.eval.sample;

import java.util.List;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.nn.Rng;

/**
 * The starting noise of sample {@code index}: standard normal per pyramid level, largest first, from an
 * {@link Rng} seeded by (seed, index) alone, so a sample's noise is the same whichever task, executor or
 * partition draws it.
 */
public final class SampleNoise {
  private SampleNoise() {}

  /** The sample's own generator seed: SplitMix64's finalizer over seed and index, so neighbours do not correlate. */
  public static long seed(long seed, long index) {
    return mix(mix(seed) ^ mix(index + 0x632BE59BD9B4E019L));
  }

  /** Per level the (c, h, w) noise of the sample, row-major. */
  public static float[][] draw(long seed, long index, List<LevelSpec> levels) {
    Rng rng = new Rng(seed(seed, index));
    float[][] out = new float[levels.size()][];
    for (int l = 0; l < levels.size(); l++) {
      out[l] = rng.normal(Math.toIntExact(levels.get(l).size()));
    }
    return out;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
