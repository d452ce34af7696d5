package org.pdm.model.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Ops;

/**
 * RK45 against scipy's {@code solve_ivp(method="RK45")}: NFE must equal scipy's {@code nfev}
 * exactly (same first step, error norm, acceptance and step control) and the end values agree to
 * rounding. The numbers come from {@code model/src/test/python/rk45_golden.py} (scipy 1.10.1).
 * Van der Pol rejects 10 steps: without scipy's "no growth right after a rejection" its end value
 * moves by 1e-4 (checked by patching scipy).
 */
class Rk45GoldenTest {
  record Golden(int nfe, double[] end) {}

  // scipy 1.10.1, numpy 1.24.2 (printed by rk45_golden.py)
  // decay: 4 accepted, 0 rejected steps
  static final Golden DECAY = new Golden(26, new double[] {0.13549592009323025});
  // decayTight: 20 accepted, 0 rejected steps
  static final Golden DECAYTIGHT = new Golden(122, new double[] {0.13533528472874906, -0.40600585418624724});
  // rotation: 23 accepted, 0 rejected steps
  static final Golden ROTATION = new Golden(140, new double[] {-0.3086541425994802, -0.2001242990906164});
  // vanDerPol: 63 accepted, 10 rejected steps
  static final Golden VANDERPOL = new Golden(440, new double[] {-1.1588608431360718, 0.43032747021444556});
  // timeFlow: 4 accepted, 0 rejected steps
  static final Golden TIMEFLOW = new Golden(26, new double[] {0.9990029316110021, -1.9980058632220041, 0.49950146580550103, 2.9970087948330058});

  /** dy/dt = -2 y, element-wise. */
  private static final VelocityField DECAY_FIELD = (z, t) -> {
    NDList out = new NDList();
    for (NDArray a : z) {
      out.add(Ops.scale(a, -2));
    }
    return out;
  };

  /** A 2-D state as two one-element levels: (y0, y1). */
  private static NDList pair(NDManager m, double a, double b) {
    return new NDList(m.create(new double[] {a}, new Shape(1, 1)),
        m.create(new double[] {b}, new Shape(1, 1)));
  }

  private static void check(Golden g, Sampler.Result r, double tol) {
    assertEquals(g.nfe(), r.nfe(), "NFE");
    double[] got = new double[g.end().length];
    int n = 0;
    for (NDArray a : r.z()) {
      for (double x : a.toType(DataType.FLOAT64, false).toDoubleArray()) {
        got[n++] = x;
      }
    }
    assertEquals(g.end().length, n);
    for (int i = 0; i < n; i++) {
      assertEquals(g.end()[i], got[i], tol * Math.abs(g.end()[i]), "end value " + i);
    }
  }

  @Test
  void exponentialDecayMatchesScipy() {
    try (NDManager m = TestSupport.cpuManager()) {
      NDList y0 = new NDList(m.create(new double[] {1}, new Shape(1, 1)));
      check(DECAY, new Rk45Sampler(1e-3, 1e-6, 0).integrate(DECAY_FIELD, y0, 0, 1), 1e-12);
      NDList y1 = new NDList(m.create(new double[] {1, -3}, new Shape(2, 1)));
      check(DECAYTIGHT, new Rk45Sampler(1e-8, 1e-8, 0).integrate(DECAY_FIELD, y1, 0, 1), 1e-12);
    }
  }

  @Test
  void dampedRotationMatchesScipy() {
    VelocityField rot = (z, t) -> new NDList(Ops.scale(z.get(0), -0.1).sub(z.get(1)),
        z.get(0).add(Ops.scale(z.get(1), -0.1)));
    try (NDManager m = TestSupport.cpuManager()) {
      check(ROTATION, new Rk45Sampler(1e-5, 1e-5, 0).integrate(rot, pair(m, 1, 0), 0, 10), 1e-12);
    }
  }

  @Test
  void vanDerPolWithRejectedStepsMatchesScipy() {
    // y0' = y1, y1' = 5 (1 - y0^2) y1 - y0, in scipy's order of operations
    VelocityField vdp = (z, t) -> {
      NDArray y0 = z.get(0);
      NDArray y1 = z.get(1);
      NDArray one = y0.onesLike();
      return new NDList(y1.duplicate(), Ops.scale(one.sub(y0.square()), 5).mul(y1).sub(y0));
    };
    try (NDManager m = TestSupport.cpuManager()) {
      check(VANDERPOL, new Rk45Sampler(1e-4, 1e-6, 0).integrate(vdp, pair(m, 2, 0), 0, 10), 1e-9);
    }
  }

  @Test
  void timeDependentFieldFromEpsMatchesScipy() {
    // dy/dt = (1 - 2t) y from eps = 1e-3 to 1 through sample(), with rectified flow's tolerances:
    // t reaches the field per stage, as (B,)
    VelocityField field = (z, t) -> {
      NDArray c = t.onesLike().sub(Ops.scale(t, 2)).reshape(-1, 1);  // (B, 1)
      return new NDList(c.mul(z.get(0)));
    };
    try (NDManager m = TestSupport.cpuManager()) {
      NDList y0 = new NDList(m.create(new double[] {1, -2, 0.5, 3}, new Shape(1, 4)));
      check(TIMEFLOW, new Rk45Sampler(1e-5, 1e-5, 1e-3).sample(field, y0), 1e-12);
    }
  }

  @Test
  void stateStaysFloat64UnderAFloat32Network() {
    // the field sees float32 (as a float32 network would), the solver still takes scipy's steps
    // and accumulates in float64: the end value is off only by the field's float32 rounding
    VelocityField f32 = (z, t) -> {
      assertEquals(DataType.FLOAT32, z.head().getDataType());
      assertEquals(DataType.FLOAT32, t.getDataType());
      return DECAY_FIELD.apply(z, t);
    };
    try (NDManager m = TestSupport.cpuManager()) {
      NDList y0 = new NDList(m.create(new float[] {1}, new Shape(1, 1)));
      Sampler.Result r = new Rk45Sampler(1e-3, 1e-6, 0).integrate(f32, y0, 0, 1);
      assertEquals(DataType.FLOAT32, r.z().head().getDataType());
      check(DECAY, r, 1e-6);
    }
  }
}
