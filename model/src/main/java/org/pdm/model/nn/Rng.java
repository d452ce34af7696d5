package org.pdm.model.nn;

import java.util.Arrays;

/**
 * The project's random number generator: xoshiro256** with a state of four longs that can be saved
 * and restored, so that a resumed run draws exactly the numbers the uninterrupted run would have drawn.
 *
 * <p>All randomness of training (initialisation, noise z0, time t, dropout masks) comes from here
 * and not from libtorch's global generator, which is shared by every thread of a JVM (a Spark
 * executor runs several tasks at once) and whose state DJL cannot save. Not thread-safe: one per
 * training loop.
 */
public final class Rng {
  private final long[] s = new long[4];

  /** Seeds the state with SplitMix64 of {@code seed}, as the xoshiro authors recommend. */
  public Rng(long seed) {
    long x = seed;
    for (int i = 0; i < 4; i++) {
      x += 0x9E3779B97F4A7C15L;
      long z = x;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      s[i] = z ^ (z >>> 31);
    }
  }

  private Rng(long[] state) {
    System.arraycopy(state, 0, s, 0, 4);
  }

  /** A generator with exactly this state (from {@link #state()}). */
  public static Rng fromState(long[] state) {
    if (state.length != 4) {
      throw new IllegalArgumentException("Rng state must have 4 longs, got " + state.length);
    }
    return new Rng(state);
  }

  /** A copy of the current state (4 longs). */
  public long[] state() {
    return Arrays.copyOf(s, 4);
  }

  /** Next 64 random bits. */
  public long nextLong() {
    long result = Long.rotateLeft(s[1] * 5, 7) * 9;
    long t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = Long.rotateLeft(s[3], 45);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** A child generator for an independent stream (e.g. one per data-loader shard). */
  public Rng split() {
    return new Rng(nextLong());
  }

  /** Fills {@code out} with independent standard normal samples (Box-Muller, both outputs used). */
  public void fillNormal(float[] out) {
    int i = 0;
    while (i < out.length) {
      double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
      double u2 = nextDouble();
      double r = Math.sqrt(-2.0 * Math.log(u1));
      out[i++] = (float) (r * Math.cos(2 * Math.PI * u2));
      if (i < out.length) {
        out[i++] = (float) (r * Math.sin(2 * Math.PI * u2));
      }
    }
  }

  /** {@code n} standard normal samples. */
  public float[] normal(int n) {
    float[] out = new float[n];
    fillNormal(out);
    return out;
  }

  /** {@code n} uniform samples in [lo, hi). */
  public float[] uniform(int n, double lo, double hi) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (lo + (hi - lo) * nextDouble());
    }
    return out;
  }
}
