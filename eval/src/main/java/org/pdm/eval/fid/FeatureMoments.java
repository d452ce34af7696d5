package org.pdm.eval.fid;

import java.io.Serializable;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The sufficient statistics of a feature set in float64: count, sum and sum of outer products
 * (torchmetrics' pattern). Partitions' moments merge by addition, so Spark's {@code treeAggregate}
 * gives the same mean and covariance whatever the partitioning, up to the order of float64 sums.
 * A 2048-d instance holds 32 MiB.
 */
public final class FeatureMoments implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dim;
  private long n;
  private final double[] sum;
  private final double[] outer; // d x d row-major, sum of x x^T

  public FeatureMoments(int dim) {
    this.dim = dim;
    this.sum = new double[dim];
    this.outer = new double[dim * dim];
  }

  public int dim() {
    return dim;
  }

  public long count() {
    return n;
  }

  /** Adds a batch of rows of length {@link #dim} (as a blocked rank-k update, not row by row). */
  public FeatureMoments addAll(double[][] rows) {
    if (rows.length == 0) {
      return this;
    }
    DMatrixRMaj x = new DMatrixRMaj(rows.length, dim);
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != dim) {
        throw new IllegalArgumentException("a feature of length " + rows[i].length + " among features of " + dim);
      }
      System.arraycopy(rows[i], 0, x.data, i * dim, dim);
      for (int j = 0; j < dim; j++) {
        sum[j] += rows[i][j];
      }
    }
    DMatrixRMaj acc = DMatrixRMaj.wrap(dim, dim, outer);
    CommonOps_DDRM.multAddTransA(x, x, acc);
    n += rows.length;
    return this;
  }

  /** Adds {@code other} into this (for Spark's combine); returns this. */
  public FeatureMoments merge(FeatureMoments other) {
    if (other.n == 0) {
      return this;
    }
    if (n == 0 && dim != other.dim) {
      return other;
    }
    if (other.dim != dim) {
      throw new IllegalArgumentException("merging features of " + other.dim + " dimensions into " + dim);
    }
    n += other.n;
    for (int i = 0; i < dim; i++) {
      sum[i] += other.sum[i];
    }
    for (int i = 0; i < outer.length; i++) {
      outer[i] += other.outer[i];
    }
    return this;
  }

  /** Mean and covariance with N-1 (as {@code np.cov(x, rowvar=False)}); needs at least 2 samples. */
  public GaussianStats gaussian() {
    if (n < 2) {
      throw new IllegalStateException("a covariance needs at least 2 samples, got " + n);
    }
    double[] mu = new double[dim];
    for (int i = 0; i < dim; i++) {
      mu[i] = sum[i] / n;
    }
    double[] sigma = new double[dim * dim];
    for (int i = 0; i < dim; i++) {
      for (int j = i; j < dim; j++) {
        // (sum x x^T - n mu mu^T) / (n - 1), made exactly symmetric
        double v = (outer[i * dim + j] - n * mu[i] * mu[j]) / (n - 1);
        sigma[i * dim + j] = v;
        sigma[j * dim + i] = v;
      }
    }
    return new GaussianStats(n, mu, sigma);
  }
}
