package org.pdm.eval.fid;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.ejml.dense.row.decomposition.hessenberg.TridiagonalDecomposition_DDRB_to_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance of two Gaussians in float64:
 * {@code |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrt(S1 S2))}.
 *
 * <p>{@code tr(sqrt(S1 S2))} is the sum of the square roots of the eigenvalues of {@code S1 S2}, which
 * are those of the symmetric {@code F^T S2 F} for any {@code S1 = F F^T} (similar matrices): F is
 * S1's Cholesky factor when S1 is positive definite, else its symmetric square root
 * {@code sqrt(S1)} (eigendecomposition), then one symmetric eigenvalue computation (EJML, multithreaded;
 * the products on the engine's BLAS);
 * with none of {@code scipy.linalg.sqrtm}'s complex round-off on a non-symmetric
 * product (pytorch-fid) nor the wrong {@code eigvalsh} of it (torch-fidelity's issue #46). Covariances
 * are positive semi-definite, so negative eigenvalues are round-off: they are clamped to 0 and reported.
 */
public final class FrechetDistance {
  /** Below this many samples a 2048-d covariance is rank-deficient (pytorch-fid's warning). */
  public static final int MIN_SAMPLES = 2048;

  /**
   * @param fid the distance
   * @param clamped eigenvalues below 0 set to 0 (of S1 when it took the square root, then of F^T S2 F)
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
    // Any factor F with S1 = F F^T makes F^T S2 F symmetric and similar to S1 S2. The Cholesky factor
    // is the cheap one (a third of the flops of an eigendecomposition with vectors); a singular S1
    // (fewer samples than dimensions) has none, and takes the symmetric square root instead.
    DMatrixRMaj f = cholesky(s1);
    if (f == null) {
      f = symmetricSqrt(s1, clamp);
    }
    DMatrixRMaj m = congruence(f, s2); // F^T S2 F, symmetric PSD up to round-off
    symmetrize(m);
    // Eigenvalues only, after a blocked (level-3) tridiagonal reduction: measured at 2048-d, 18 s
    // against 28 s for EJML's default multithreaded row-major reduction on this shared machine.
    EigenDecomposition_F64<DMatrixRMaj> eig2 = new SymmetricQRAlgorithmDecomposition_DDRM(
        new TridiagonalDecomposition_DDRB_to_DDRM(), false);
    if (!eig2.decompose(m)) {
      throw new ArithmeticException("the eigendecomposition of F^T S2 F did not converge");
    }
    double traceSqrt = 0;
    for (int k = 0; k < d; k++) {
      Complex_F64 l = eig2.getEigenvalue(k);
      traceSqrt += Math.sqrt(clamp.apply(l.real));
    }
    return new Result(meanTerm + traces - 2 * traceSqrt, clamp.count, clamp.mostNegative);
  }

  /**
   * {@code F^T S F} in float64 on the engine (libtorch's BLAS runs these 4 d^3 flops several times
   * faster than EJML's Java loops; the eigen steps have no engine kernel in DJL).
   */
  private static DMatrixRMaj congruence(DMatrixRMaj f, DMatrixRMaj s) {
    int d = f.numRows;
    try (NDManager nd = NDManager.newBaseManager(Device.cpu())) {
      NDArray fa = nd.create(f.data, new Shape(d, d));
      NDArray sa = nd.create(s.data, new Shape(d, d));
      double[] m = fa.transpose().matMul(sa.matMul(fa)).toDoubleArray();
      return DMatrixRMaj.wrap(d, d, m);
    }
  }

  /** The lower Cholesky factor of {@code s}, or null when {@code s} is not numerically positive definite. */
  private static DMatrixRMaj cholesky(DMatrixRMaj s) {
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_MT_DDRM.chol(s.numRows, true);
    if (!chol.decompose(s.copy())) {
      return null;
    }
    DMatrixRMaj l = chol.getT(null);
    for (int i = 0; i < l.numRows; i++) {
      double v = l.data[i * l.numCols + i];
      if (!(v > 0) || !Double.isFinite(v)) {
        return null;
      }
    }
    return l;
  }

  /** {@code V diag(sqrt(max(l, 0))) V^T}, its negative eigenvalues clamped into {@code clamp}. */
  private static DMatrixRMaj symmetricSqrt(DMatrixRMaj s, Clamp clamp) {
    int d = s.numRows;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_MT_DDRM.eig(d, true, true);
    if (!eig.decompose(s.copy())) {
      throw new ArithmeticException("the eigendecomposition of the first covariance did not converge");
    }
    DMatrixRMaj vs = new DMatrixRMaj(d, d); // V diag(sqrt(l))
    DMatrixRMaj v = new DMatrixRMaj(d, d);
    for (int k = 0; k < d; k++) {
      double root = Math.sqrt(clamp.apply(eig.getEigenvalue(k).real));
      DMatrixRMaj col = eig.getEigenVector(k);
      for (int i = 0; i < d; i++) {
        v.data[i * d + k] = col.data[i];
        vs.data[i * d + k] = col.data[i] * root;
      }
    }
    DMatrixRMaj root = new DMatrixRMaj(d, d);
    CommonOps_MT_DDRM.multTransB(vs, v, root);
    symmetrize(root);
    return root;
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
