package org.pdm.eval.fid;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019, k = 3 by default): each set's manifold is
 * the union of balls around its features with the distance to the k-th nearest neighbour (itself not
 * counted) as radius. Precision: the fraction of fake features inside the real manifold; recall: the
 * fraction of real features inside the fake one. Squared Euclidean distances in float64 on the engine,
 * in blocks of rows so that memory stays at {@code block x n}.
 */
public final class PrecisionRecall {
  private static final int BLOCK = 1024;

  public record Result(double precision, double recall, int k, int nReal, int nFake) {}

  private PrecisionRecall() {}

  public static Result of(NDManager manager, float[][] real, float[][] fake, int k) {
    if (real.length <= k || fake.length <= k) {
      throw new IllegalArgumentException("precision/recall with k=" + k + " needs more than " + k
          + " features on each side, got " + real.length + " and " + fake.length);
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray r = matrix(m, real);
      NDArray f = matrix(m, fake);
      NDArray realRadii = radii(m, r, k);
      NDArray fakeRadii = radii(m, f, k);
      double precision = covered(m, f, r, realRadii) / fake.length;
      double recall = covered(m, r, f, fakeRadii) / real.length;
      return new Result(precision, recall, k, real.length, fake.length);
    }
  }

  /** Squared distance of each row to its k-th nearest neighbour in the same set (index 0 is itself). */
  private static NDArray radii(NDManager m, NDArray x, int k) {
    long n = x.getShape().get(0);
    NDArray norms = x.square().sum(new int[] {1});
    double[] out = new double[(int) n];
    for (long s = 0; s < n; s += BLOCK) {
      long e = Math.min(n, s + BLOCK);
      try (NDManager step = m.newSubManager()) {
        NDArray d = distances(step, x.get(s + ":" + e), norms.get(s + ":" + e), x, norms);
        double[] kth = d.sort(1).get(":, " + k).toDoubleArray();
        System.arraycopy(kth, 0, out, (int) s, kth.length);
      }
    }
    return m.create(out);
  }

  /** How many rows of {@code q} lie within the radius of at least one row of {@code ref}. */
  private static double covered(NDManager m, NDArray q, NDArray ref, NDArray refRadii) {
    long n = q.getShape().get(0);
    NDArray qNorms = q.square().sum(new int[] {1});
    NDArray refNorms = ref.square().sum(new int[] {1});
    double count = 0;
    for (long s = 0; s < n; s += BLOCK) {
      long e = Math.min(n, s + BLOCK);
      try (NDManager step = m.newSubManager()) {
        NDArray d = distances(step, q.get(s + ":" + e), qNorms.get(s + ":" + e), ref, refNorms);
        // inside some ball: min over refs of (distance - radius) <= 0
        double[] slack = d.sub(refRadii.reshape(1, -1)).min(new int[] {1}).toDoubleArray();
        for (double v : slack) {
          if (v <= 0) {
            count++;
          }
        }
      }
    }
    return count;
  }

  /** |a_i|^2 - 2 a_i.b_j + |b_j|^2 for a block of rows a against all rows b; {@code a} and its norms are fresh slices, moved into the block's manager. */
  private static NDArray distances(NDManager step, NDArray a, NDArray aNorms, NDArray b, NDArray bNorms) {
    a.attach(step); // fresh slices: the block's scope frees them
    aNorms.attach(step);
    return a.matMul(b.transpose()).mul(-2).add(aNorms.reshape(-1, 1)).add(bNorms.reshape(1, -1));
  }

  static NDArray matrix(NDManager m, float[][] rows) {
    int d = rows[0].length;
    double[] data = new double[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < d; j++) {
        data[i * d + j] = rows[i][j];
      }
    }
    return m.create(data, new Shape(rows.length, d));
  }
}
