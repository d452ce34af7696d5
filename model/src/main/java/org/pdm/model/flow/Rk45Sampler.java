package org.pdm.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.pdm.model.nn.StepScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Adaptive Dormand-Prince RK5(4) with FSAL (what scipy's {@code solve_ivp(method="RK45")} does, and
 * what score_sde/rectified-flow sampling calls with rtol = atol = 1e-5). Batched like score_sde: the
 * batch is one ODE, so one step size serves all samples. Error norm: RMS over all elements of
 * err / (atol + rtol * max(|y|, |y_new|)); a step is accepted when it is <= 1; the step factor is
 * 0.9 * norm^(-1/5) clamped to [0.2, 10]. The first step is chosen as in Hairer et al. (scipy's
 * {@code select_initial_step}). NFE counts every velocity evaluation. A NaN error estimate (NaN in
 * the velocity or the state) stops the integration at once with an {@link IllegalStateException}.
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

  /** Integrates from t0 to t1 > t0. */
  public Result integrate(VelocityField v, NDList y0, double t0, double t1) {
    // every attempted step runs in its own scope; only an accepted (y, f) pair leaves it and the
    // previous pair is freed, so memory stays flat however many steps are taken
    NDManager parent = y0.head().getManager();
    long b = y0.head().getShape().get(0);
    int nfe = 0;
    double t = t0;
    NDList y = y0;
    NDList f;
    double h;
    try (StepScope scope = StepScope.open(parent, Pyramid.arrays(y))) {
      f = Pyramid.keep(v.apply(y, time(y, b, t)), parent);
      h = initialStep(v, y, f, t, t1);
    }
    nfe += 2;
    for (int step = 0; t < t1; step++) {
      if (step >= maxSteps) {
        throw new IllegalStateException("RK45 did not reach t = " + t1 + " in " + maxSteps + " steps");
      }
      h = Math.min(h, t1 - t);
      NDList yNew;
      NDList fNew;
      double err;
      try (StepScope scope = StepScope.open(parent, Pyramid.arrays(y, f))) {
        List<NDList> k = new ArrayList<>(7);
        k.add(f);
        for (int s = 1; s < 6; s++) {
          NDList ys = Pyramid.combine(y, h, A[s], k);
          k.add(v.apply(ys, time(y, b, t + C[s] * h)));
        }
        yNew = Pyramid.combine(y, h, A[6], k);
        fNew = v.apply(yNew, time(y, b, t + h));
        k.add(fNew);
        nfe += 6;
        err = scaledRms(Pyramid.combine(zerosLike(y), h, E, k), y, yNew);
        if (err <= 1) {
          Pyramid.keep(yNew, parent);
          Pyramid.keep(fNew, parent);
        }
      }
      if (Double.isNaN(err)) {
        // NaN in the state or the velocity (a diverged network): no step size can fix that, and
        // shrinking h would spend maxSteps attempts of 6 evaluations each before failing
        Pyramid.close(f);
        if (y != y0) {
          Pyramid.close(y);
        }
        throw new IllegalStateException("RK45: the velocity or the state is not finite (NaN) at "
            + "t = " + t + " after " + nfe + " evaluations");
      }
      if (err <= 1) {
        t = t + h;
        if (y != y0) {
          Pyramid.close(y);
        }
        Pyramid.close(f);
        y = yNew;
        f = fNew;
        h *= err == 0 ? 10 : Math.min(10, 0.9 * Math.pow(err, -0.2));
      } else {
        h *= Math.max(0.2, 0.9 * Math.pow(err, -0.2));
      }
    }
    Pyramid.close(f);
    return new Result(y, nfe);
  }

  private double initialStep(VelocityField v, NDList y0, NDList f0, double t0, double t1) {
    double d0 = scaledRms(y0, y0, y0);
    double d1 = scaledRms(f0, y0, y0);
    double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
    h0 = Math.min(h0, t1 - t0);
    NDList y1 = Pyramid.axpy(y0, h0, f0);
    NDList f1 = v.apply(y1, time(y0, y0.head().getShape().get(0), t0 + h0));
    NDList df = Pyramid.axpy(f1, -1, f0);
    double d2 = scaledRms(df, y0, y0) / h0;
    double h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3)
        : Math.pow(0.01 / Math.max(d1, d2), 1.0 / 5);
    return Math.min(100 * h0, h1);
  }

  /** RMS of x / (atol + rtol * max(|a|, |b|)) over all elements of all levels. */
  private double scaledRms(NDList x, NDList a, NDList b) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < x.size(); i++) {
      NDArray scale = a.get(i).abs().maximum(b.get(i).abs()).mul((float) rtol).add((float) atol);
      NDArray r = x.get(i).div(scale);
      sum += r.square().sum().getFloat();
      n += r.getShape().size();
    }
    return Math.sqrt(sum / n);
  }

  private static NDList zerosLike(NDList y) {
    NDList out = new NDList(y.size());
    for (NDArray a : y) {
      out.add(a.zerosLike());
    }
    return out;
  }

  private static NDArray time(NDList y, long b, double t) {
    return Pyramid.time(y.head().getManager(), b, t).toDevice(y.head().getDevice(), false);
  }
}
