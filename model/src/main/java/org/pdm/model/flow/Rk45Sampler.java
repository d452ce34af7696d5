package org.pdm.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Tensors;
import org.pdm.model.nn.StepScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Adaptive Dormand-Prince RK5(4) with FSAL (what scipy's {@code solve_ivp(method="RK45")} does, and
 * what score_sde/rectified-flow sampling calls with rtol = atol = 1e-5). Batched like score_sde: the
 * batch is one ODE, so one step size serves all samples. Error norm: RMS over all elements of
 * err / (atol + rtol * max(|y|, |y_new|)); a step is accepted when it is < 1; the step factor is
 * 0.9 * norm^(-1/5) clamped to [0.2, 10], and at most 1 for a step accepted after a rejection. The
 * first step is chosen as in Hairer et al. (scipy's {@code select_initial_step}). State and error
 * norm are float64 even for a float32 network. NFE counts every velocity evaluation and equals
 * scipy's {@code nfev} (golden values from {@code model/src/test/python/rk45_golden.py}). A NaN
 * error estimate (NaN in the velocity or the state) stops the integration at once with an
 * {@link IllegalStateException}.
 */
public final class Rk45Sampler implements Sampler {
  private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
  private static final double[][] A = {
      {},
      {1.0 / 5},
      {3.0 / 40, 9.0 / 40},
      {44.0 / 45, -56.0 / 15, 32.0 / 9},
      {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
      {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
      {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
  /** 5th-order weights minus the embedded 4th-order weights: the error estimate. */
  private static final double[] E = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920,
      -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

  private static final double SAFETY = 0.9;
  private static final double MIN_FACTOR = 0.2;
  private static final double MAX_FACTOR = 10;
  /** -1 / (error estimator order + 1). */
  private static final double EXP = -1.0 / 5;

  private final double rtol;
  private final double atol;
  private final double eps;
  private final int maxSteps;

  public Rk45Sampler(double rtol, double atol, double eps) {
    this(rtol, atol, eps, 100_000);
  }

  public Rk45Sampler(double rtol, double atol, double eps, int maxSteps) {
    if (rtol <= 0 || atol <= 0) {
      throw new IllegalArgumentException("rtol and atol must be > 0");
    }
    this.rtol = rtol;
    this.atol = atol;
    this.eps = eps;
    this.maxSteps = maxSteps;
  }

  @Override
  public Result sample(VelocityField v, NDList z0) {
    return integrate(v, z0, eps, 1.0);
  }

  /**
   * Integrates from t0 to t1 > t0. The state, the stage sums and the error norm are float64 whatever
   * the type of {@code y0}; the velocity field sees the state and t in {@code y0}'s type (the
   * network's) and its output is widened again. The result has {@code y0}'s type; y0 is not closed.
   */
  public Result integrate(VelocityField v, NDList y0, double t0, double t1) {
    // every attempted step runs in its own scope; only an accepted (y, f) pair leaves it and the
    // previous pair is freed, so memory stays flat however many steps are taken
    NDManager parent = y0.head().getManager();
    DataType type = y0.head().getDataType();
    long b = y0.head().getShape().get(0);
    int nfe = 0;
    double t = t0;
    NDList y = widen(y0);
    NDList f;
    double h;
    try (StepScope scope = StepScope.open(parent, Pyramid.arrays(y))) {
      f = Pyramid.keep(eval(v, y, type, b, t), parent);
      h = initialStep(v, y, f, type, b, t, t1);
    }
    nfe += 2;
    int attempts = 0;
    while (t < t1) {
      // scipy's _step_impl: the attempts of one step share `rejected`; after a rejection the accepted
      // step may not grow h (otherwise it would try again the size that just failed)
      boolean rejected = false;
      while (true) {
        if (attempts++ >= maxSteps) {
          throw new IllegalStateException("RK45 did not reach t = " + t1 + " in " + maxSteps
              + " attempted steps");
        }
        if (h < 10 * Math.ulp(t)) {
          throw new IllegalStateException("RK45: step size fell below 10 ulp at t = " + t);
        }
        double tNew = Math.min(t + h, t1);
        h = tNew - t;  // as scipy: the step actually taken, so that t lands exactly on t1
        NDList yNew;
        NDList fNew;
        double err;
        try (StepScope scope = StepScope.open(parent, Pyramid.arrays(y, f))) {
          List<NDList> k = new ArrayList<>(7);
          k.add(f);
          for (int s = 1; s < 6; s++) {
            k.add(eval(v, stage(y, h, A[s], k), type, b, t + C[s] * h));
          }
          yNew = stage(y, h, A[6], k);
          fNew = eval(v, yNew, type, b, tNew);
          k.add(fNew);
          nfe += 6;
          err = scaledRms(stage(null, h, E, k), y, yNew);
          if (err < 1) {
            Pyramid.keep(yNew, parent);
            Pyramid.keep(fNew, parent);
          }
        }
        if (Double.isNaN(err)) {
          // NaN in the state or the velocity (a diverged network): no step size can fix that, and
          // shrinking h would spend maxSteps attempts of 6 evaluations each before failing
          Pyramid.close(f);
          Pyramid.close(y);
          throw new IllegalStateException("RK45: the velocity or the state is not finite (NaN) at "
              + "t = " + t + " after " + nfe + " evaluations");
        }
        if (err < 1) {  // scipy accepts on err < 1 strictly
          double factor = err == 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * Math.pow(err, EXP));
          h *= rejected ? Math.min(1, factor) : factor;
          t = tNew;
          Pyramid.close(y);
          Pyramid.close(f);
          y = yNew;
          f = fNew;
          break;
        }
        h *= Math.max(MIN_FACTOR, SAFETY * Math.pow(err, EXP));
        rejected = true;
      }
    }
    Pyramid.close(f);
    NDList out = new NDList(y.size());
    for (NDArray a : y) {
      out.add(type == DataType.FLOAT64 ? a : a.toType(type, false));
      if (type != DataType.FLOAT64) {
        a.close();
      }
    }
    return new Result(out, nfe);
  }

  /** scipy's select_initial_step (Hairer, Norsett, Wanner, II.4), plus h0 <= t1 - t0. */
  private double initialStep(VelocityField v, NDList y0, NDList f0, DataType type, long b, double t0,
      double t1) {
    double d0 = scaledRms(y0, y0, y0);
    double d1 = scaledRms(f0, y0, y0);
    double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
    h0 = Math.min(h0, t1 - t0);  // newer scipy does this too; never evaluate beyond t1
    NDList y1 = Pyramid.axpy(y0, h0, f0);
    NDList f1 = eval(v, y1, type, b, t0 + h0);
    NDList df = Pyramid.axpy(f1, -1, f0);
    double d2 = scaledRms(df, y0, y0) / h0;
    double h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3)
        : Math.pow(0.01 / Math.max(d1, d2), 1.0 / 5);
    return Math.min(100 * h0, h1);
  }

  /** v(y, t) with y and t in the network's type, widened to float64. */
  private static NDList eval(VelocityField v, NDList y, DataType type, long b, double t) {
    NDList in = y;
    if (type != DataType.FLOAT64) {
      in = new NDList(y.size());
      for (NDArray a : y) {
        in.add(a.toType(type, false));
      }
    }
    NDArray time = y.head().getManager().ones(new Shape(b), DataType.FLOAT64, y.head().getDevice())
        .mul(Tensors.scalar(y.head(), t));
    NDList out = new NDList(y.size());
    for (NDArray a : v.apply(in, type == DataType.FLOAT64 ? time : time.toType(type, false))) {
      out.add(a.toType(DataType.FLOAT64, false));
    }
    return out;
  }

  /** y + h * sum_j c_j k_j in scipy's order (y == null: the sum times h only, the error estimate). */
  private static NDList stage(NDList y, double h, double[] c, List<NDList> k) {
    NDList out = new NDList(k.get(0).size());
    for (int i = 0; i < k.get(0).size(); i++) {
      NDArray acc = null;
      for (int j = 0; j < c.length; j++) {
        if (c[j] != 0) {
          NDArray term = Ops.scale(k.get(j).get(i), c[j]);
          acc = acc == null ? term : acc.add(term);
        }
      }
      acc = Ops.scale(acc, h);
      out.add(y == null ? acc : y.get(i).add(acc));
    }
    return out;
  }

  /** float64 copies of {@code y}, in y's manager. */
  private static NDList widen(NDList y) {
    NDList out = new NDList(y.size());
    for (NDArray a : y) {
      out.add(a.toType(DataType.FLOAT64, true));
    }
    return out;
  }

  /** RMS of x / (atol + rtol * max(|a|, |b|)) over all elements of all levels, in float64. */
  private double scaledRms(NDList x, NDList a, NDList b) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < x.size(); i++) {
      NDArray scale = Ops.scale(a.get(i).abs().maximum(b.get(i).abs()), rtol)
          .add(Tensors.scalar(a.get(i), atol));
      NDArray r = x.get(i).div(scale);
      sum += r.square().sum().getDouble();
      n += r.getShape().size();
    }
    return Math.sqrt(sum / n);
  }
}
