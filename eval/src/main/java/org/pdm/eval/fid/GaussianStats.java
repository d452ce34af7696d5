package org.pdm.eval.fid;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A feature set summarized as a Gaussian: mean and covariance (with N-1, as {@code np.cov}), in float64,
 * and how many samples they came from (0 when unknown, for statistics read from another tool's file).
 *
 * @param n samples
 * @param mu mean, length d
 * @param sigma covariance, d x d row-major
 */
public record GaussianStats(long n, double[] mu, double[] sigma) {
  public GaussianStats {
    if ((long) mu.length * mu.length != sigma.length) {
      throw new IllegalArgumentException("mu has " + mu.length + " values, sigma " + sigma.length
          + ": sigma must be " + mu.length + "x" + mu.length);
    }
  }

  public int dim() {
    return mu.length;
  }

  /**
   * {@code mu} and {@code sigma} as numpy, pytorch-fid and clean-fid name them, and {@code n} (a
   * 1-element array, when known) which those tools ignore and we read back as the sample count.
   */
  public Map<String, Npz.Array> toNpz() {
    Map<String, Npz.Array> a = new LinkedHashMap<>();
    a.put("mu", Npz.Array.vector(mu));
    a.put("sigma", Npz.Array.matrix(mu.length, mu.length, sigma));
    if (n > 0) {
      a.put("n", Npz.Array.vector(new double[] {n}));
    }
    return a;
  }

  /** Statistics from an npz with {@code mu} (d) and {@code sigma} (d x d). */
  public static GaussianStats fromNpz(Map<String, Npz.Array> arrays, String source) throws IOException {
    Npz.Array mu = arrays.get("mu");
    Npz.Array sigma = arrays.get("sigma");
    if (mu == null || sigma == null) {
      throw new IOException(source + " holds " + arrays.keySet() + ": FID statistics need arrays mu and sigma "
          + "(as pytorch-fid's --save-stats and clean-fid write them)");
    }
    if (mu.shape().length != 1 || sigma.shape().length != 2 || sigma.shape()[0] != mu.shape()[0]
        || sigma.shape()[1] != mu.shape()[0]) {
      throw new IOException(source + ": mu has shape " + java.util.Arrays.toString(mu.shape()) + " and sigma "
          + java.util.Arrays.toString(sigma.shape()) + ": expected (d,) and (d, d)");
    }
    long n = arrays.containsKey("n") ? (long) arrays.get("n").data()[0] : 0;
    return new GaussianStats(n, mu.data(), sigma.data());
  }
}
