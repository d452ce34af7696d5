package org.pdm.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.pdm.model.nn.StepScope;

/**
 * Plain Euler with N uniform steps from t = eps to 1 (the paper uses N = 200): z += dt * v(z, t).
 * Batched: the whole batch shares each step. NFE = N.
 */
public final class EulerSampler implements Sampler {
  private final int steps;
  private final double eps;

  public EulerSampler(int steps, double eps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    this.steps = steps;
    this.eps = eps;
  }

  @Override
  public Result sample(VelocityField v, NDList z0) {
    return integrate(v, z0, eps, 1.0);
  }

  /** Euler from t0 to t1 in N steps. */
  public Result integrate(VelocityField v, NDList z, double t0, double t1) {
    // each step runs in its own scope; only the new state leaves it, and the previous state (unless
    // it is the caller's input) is freed, so memory stays flat over hundreds of steps
    NDManager parent = z.head().getManager();
    long b = z.head().getShape().get(0);
    double dt = (t1 - t0) / steps;
    NDList cur = z;
    for (int i = 0; i < steps; i++) {
      NDList next;
      try (StepScope scope = StepScope.open(parent, Pyramid.arrays(cur))) {
        NDArray t = Pyramid.time(scope.manager(), b, t0 + i * dt).toDevice(cur.head().getDevice(),
            false);
        next = Pyramid.keep(Pyramid.axpy(cur, dt, v.apply(cur, t)), parent);
      }
      if (cur != z) {
        Pyramid.close(cur);
      }
      cur = next;
    }
    return new Result(cur, steps);
  }
}
