package org.pdm.eval.fid;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance of two Gaussians in float64:
 * {@code |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrt(S1 S2))}.
 *
 * <p>{@code tr(sqrt(S1 S2))} is the sum of the square roots of the eigenvalues of {@code S1 S2}, which
 * are those of the symmetric {@code sqrt(S1) S2 sqrt(S1)} (similar matrices): two symmetric
 * eigendecompositions, with none of {@code scipy.linalg.sqrtm}'s complex round-off on a non-symmetric
 * product (pytorch-fid) nor the wrong {@code eigvalsh} of it (torch-fidelity's issue #46). Covariances
 * are positive semi-definite, so negative eigenvalues are round-off: they are clamped to 0 and reported.
 */
public final class FrechetDistance {
  /** Below this many samples a 2048-d covariance is rank-deficient (pytorch-fid's warning). */
  public static final int MIN_SAMPLES = 2048;

  /**
   * @param fid the distance
   * @param clamped eigenvalues below 0 set to 0 (of S1, then of sqrt(S1) S2 sqrt(S1))
   * @param mostNegative the most negative eigenvalue clamped, 0 when none
   */
  public record Result(double fid, int clamped, double mostNegative) {}

  private FrechetDistance() {}

  public static Result of(GaussianStats a, GaussianStats b) {
    int d = a.dim();
    if (b.dim() != d) {
      throw new IllegalArgumentException("statistics of " + d + " and " + b.dim() + " dimensions: both sides must "
          + "come from the same feature extractor");
    }
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = a.mu()[i] - b.mu()[i];
      meanTerm += diff * diff;
    }
    DMatrixRMaj s1 = DMatrixRMaj.wrap(d, d, a.sigma().clone());
    DMatrixRMaj s2 = DMatrixRMaj.wrap(d, d, b.sigma().clone());
    double traces = CommonOps_DDRM.trace(s1) + CommonOps_DDRM.trace(s2);

    Clamp clamp = new Clamp();
    // sqrt(S1) = V diag(sqrt(max(l, 0))) V^T
    EigenDecomposition_F64<DMatrixRMaj> eig1 = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig1.decompose(s1.copy())) {
      throw new ArithmeticException("the eigendecomposition of the first covariance did not converge");
    }
    DMatrixRMaj vs = new DMatrixRMaj(d, d); // V diag(sqrt(l))
    DMatrixRMaj v = new DMatrixRMaj(d, d);
    for (int k = 0; k < d; k++) {
      double root = Math.sqrt(clamp.apply(eig1.getEigenvalue(k).real));
      DMatrixRMaj col = eig1.getEigenVector(k);
      for (int i = 0; i < d; i++) {
        v.data[i * d + k] = col.data[i];
        vs.data[i * d + k] = col.data[i] * root;
      }
    }
    DMatrixRMaj root1 = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransB(vs, v, root1);
    symmetrize(root1);
    // M = sqrt(S1) S2 sqrt(S1), symmetric PSD up to round-off
    DMatrixRMaj tmp = new DMatrixRMaj(d, d);
    CommonOps_DDRM.mult(root1, s2, tmp);
    DMatrixRMaj m = new DMatrixRMaj(d, d);
    CommonOps_DDRM.mult(tmp, root1, m);
    symmetrize(m);
    EigenDecomposition_F64<DMatrixRMaj> eig2 = DecompositionFactory_DDRM.eig(d, false, true);
    if (!eig2.decompose(m)) {
      throw new ArithmeticException("the eigendecomposition of sqrt(S1) S2 sqrt(S1) did not converge");
    }
    double traceSqrt = 0;
    for (int k = 0; k < d; k++) {
      Complex_F64 l = eig2.getEigenvalue(k);
      traceSqrt += Math.sqrt(clamp.apply(l.real));
    }
    return new Result(meanTerm + traces - 2 * traceSqrt, clamp.count, clamp.mostNegative);
  }

  private static void symmetrize(DMatrixRMaj m) {
    int d = m.numRows;
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        double v = 0.5 * (m.data[i * d + j] + m.data[j * d + i]);
        m.data[i * d + j] = v;
        m.data[j * d + i] = v;
      }
    }
  }

  private static final class Clamp {
    int count;
    double mostNegative;

    double apply(double l) {
      if (l >= 0) {
        return l;
      }
      count++;
      mostNegative = Math.min(mostNegative, l);
      return 0;
    }
  }
}
