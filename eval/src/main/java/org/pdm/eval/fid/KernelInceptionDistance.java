package org.pdm.eval.fid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * KID (Bińkowski et al. 2018) as clean-fid's {@code kernel_distance} and torch-fidelity compute it:
 * the unbiased MMD² with the cubic polynomial kernel {@code k(x, y) = (x.y / d + 1)^3} on random
 * subsets of {@code m = min(n_real, n_fake, subset size)} rows of each side drawn without replacement;
 * mean and standard deviation (population, as torch-fidelity's {@code np.std}) over the subsets.
 * The matrix products run on the engine (libtorch) in float64.
 */
public final class KernelInceptionDistance {
  /**
   * @param mean KID
   * @param std its standard deviation over the subsets
   * @param subsets subsets drawn
   * @param subsetSize rows per subset
   */
  public record Result(double mean, double std, int subsets, int subsetSize) {}

  private KernelInceptionDistance() {}

  public static Result of(NDManager manager, float[][] real, float[][] fake, int subsets, int maxSubsetSize,
      long seed) {
    int d = real[0].length;
    int m = Math.min(Math.min(real.length, fake.length), maxSubsetSize);
    if (m < 2) {
      throw new IllegalArgumentException("KID needs at least 2 features on each side, got " + real.length + " and "
          + fake.length);
    }
    Random rng = new Random(seed);
    double[] values = new double[subsets];
    for (int s = 0; s < subsets; s++) {
      try (NDManager step = manager.newSubManager()) {
        NDArray x = rows(step, fake, sample(rng, fake.length, m), d);
        NDArray y = rows(step, real, sample(rng, real.length, m), d);
        values[s] = mmd(x, y, d, m);
      }
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= subsets;
    double var = 0;
    for (double v : values) {
      var += (v - mean) * (v - mean);
    }
    return new Result(mean, Math.sqrt(var / subsets), subsets, m);
  }

  /** One subset's unbiased MMD² (clean-fid's per-subset term divided by m). */
  static double mmd(NDArray x, NDArray y, int d, int m) {
    NDArray kxx = kernel(x, x, d);
    NDArray kyy = kernel(y, y, d);
    NDArray kxy = kernel(x, y, d);
    double a = kxx.sum().getDouble() + kyy.sum().getDouble();
    double diag = kxx.diagonal().sum().getDouble() + kyy.diagonal().sum().getDouble();
    double b = kxy.sum().getDouble();
    return ((a - diag) / (m - 1) - b * 2 / m) / m;
  }

  private static NDArray kernel(NDArray x, NDArray y, int d) {
    return x.matMul(y.transpose()).div(d).add(1).pow(3);
  }

  /** {@code m} distinct indices of {@code [0, n)} (a partial Fisher-Yates shuffle). */
  static int[] sample(Random rng, int n, int m) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < m; i++) {
      int j = i + rng.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, m);
  }

  /** The chosen rows as an (m, d) float64 array. */
  static NDArray rows(NDManager manager, float[][] features, int[] index, int d) {
    double[] data = new double[index.length * d];
    for (int i = 0; i < index.length; i++) {
      float[] f = features[index[i]];
      for (int j = 0; j < d; j++) {
        data[i * d + j] = f[j];
      }
    }
    return manager.create(data, new Shape(index.length, d));
  }
}
