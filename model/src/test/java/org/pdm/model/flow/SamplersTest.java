package org.pdm.model.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;

/** Euler and RK45 on ODEs with closed-form solutions. */
class SamplersTest {
  /** dy/dt = -2 t y, y(t) = y(t0) exp(-(t^2 - t0^2)); two "levels" of different shapes. */
  private static final VelocityField GAUSS = (z, t) -> {
    NDList out = new NDList();
    for (NDArray a : z) {
      NDArray tt = t.reshape(new Shape(t.size(), 1, 1, 1).slice(0, a.getShape().dimension()));
      out.add(a.mul(tt).mul(-2f));
    }
    return out;
  };

  private static NDList start(NDManager m) {
    return new NDList(m.create(new float[] {1f, -2f, 0.5f, 3f}, new Shape(2, 2)),
        m.create(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, new Shape(2, 1, 2, 2)));
  }

  private static double maxError(NDList y0, NDList y, double t0, double t1) {
    double f = Math.exp(-(t1 * t1 - t0 * t0));
    double err = 0;
    for (int i = 0; i < y0.size(); i++) {
      err = Math.max(err, y.get(i).sub(y0.get(i).mul((float) f)).abs().max().getFloat());
    }
    return err;
  }

  @Test
  void eulerIsFirstOrder() {
    try (NDManager m = TestSupport.cpuManager()) {
      NDList y0 = start(m);
      double e1 = maxError(y0, new EulerSampler(50, 0).integrate(GAUSS, y0, 0, 1).z(), 0, 1);
      double e2 = maxError(y0, new EulerSampler(100, 0).integrate(GAUSS, y0, 0, 1).z(), 0, 1);
      double e4 = maxError(y0, new EulerSampler(200, 0).integrate(GAUSS, y0, 0, 1).z(), 0, 1);
      // halving the step halves the error (ratio ~2 for a first-order method)
      assertEquals(2.0, e1 / e2, 0.15);
      assertEquals(2.0, e2 / e4, 0.15);
      assertEquals(200, new EulerSampler(200, 1e-3).sample(GAUSS, y0).nfe());
    }
  }

  @Test
  void rk45MeetsItsToleranceAndCountsEvaluations() {
    try (NDManager m = TestSupport.cpuManager()) {
      NDList y0 = start(m);
      Sampler.Result loose = new Rk45Sampler(1e-3, 1e-3, 0).integrate(GAUSS, y0, 0, 1);
      Sampler.Result tight = new Rk45Sampler(1e-6, 1e-6, 0).integrate(GAUSS, y0, 0, 1);
      double eLoose = maxError(y0, loose.z(), 0, 1);
      double eTight = maxError(y0, tight.z(), 0, 1);
      assertTrue(eLoose < 1e-2, "loose error " + eLoose);
      assertTrue(eTight < 2e-5, "tight error " + eTight);
      assertTrue(eTight < eLoose);
      assertTrue(tight.nfe() > loose.nfe(), tight.nfe() + " vs " + loose.nfe());
      // NFE = 2 (first evaluation + initial step choice) + 6 per attempted step
      assertEquals(0, (loose.nfe() - 2) % 6);
      // far fewer evaluations than Euler would need for the same accuracy
      assertTrue(tight.nfe() < 200, "nfe " + tight.nfe());
    }
  }

  @Test
  void rk45IsExactForAConstantVelocity() {
    // a straight rectified-flow path: v = x1 - x0 constant, z(1) = z(eps) + (1 - eps) v
    try (NDManager m = TestSupport.cpuManager()) {
      NDArray v = m.create(new float[] {1f, -1f, 2f, 0.5f}, new Shape(2, 2));
      VelocityField field = (z, t) -> new NDList(v.duplicate());
      NDList z0 = new NDList(m.zeros(new Shape(2, 2)));
      Sampler.Result r = new Rk45Sampler(1e-5, 1e-5, 1e-3).sample(field, z0);
      assertEquals(0f, r.z().get(0).sub(v.mul(1 - 1e-3f)).abs().max().getFloat(), 1e-5f);
      // zero error estimates let the step grow tenfold per step from scipy's tiny first step
      // (z0 = 0 makes it 1e-6): a handful of steps, never hundreds
      assertTrue(r.nfe() <= 2 + 6 * 8, "nfe " + r.nfe());
    }
  }

  @Test
  void rk45StopsAtOnceOnANonFiniteVelocity() {
    // a diverged network gives NaN drifts: the error norm is NaN, no step can be accepted, and the
    // sampler must say so instead of shrinking the step until maxSteps attempts are spent
    try (NDManager m = TestSupport.cpuManager()) {
      int[] calls = {0};
      VelocityField nan = (z, t) -> {
        calls[0]++;
        NDList out = new NDList();
        for (NDArray a : z) {
          out.add(a.mul(Float.NaN));
        }
        return out;
      };
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new Rk45Sampler(1e-5, 1e-5, 1e-3, 1000).sample(nan, start(m)));
      assertTrue(e.getMessage().contains("not finite"), e.getMessage());
      assertTrue(calls[0] <= 8, calls[0] + " evaluations before giving up");
    }
  }
}
