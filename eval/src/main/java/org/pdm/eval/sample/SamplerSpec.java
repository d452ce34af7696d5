package org.pdm.eval.sample;

import java.io.Serializable;
import org.pdm.model.flow.EulerSampler;
import org.pdm.model.flow.RectifiedFlow;
import org.pdm.model.flow.Rk45Sampler;
import org.pdm.model.flow.Sampler;

/**
 * The sampler named by {@code pdm.sample.sampler}: {@code euler:N} (N uniform Euler steps; {@code euler}
 * alone is the paper's 200) or {@code rk45} / {@code rk45:TOL} (adaptive Dormand-Prince with
 * rtol = atol = TOL, default 1e-5 as the paper's Table 1). Both integrate t from eps = 1e-3 to 1.
 */
public record SamplerSpec(Kind kind, int steps, double tolerance) implements Serializable {
  public enum Kind { EULER, RK45 }

  /** Euler steps when none are given (paper: 200). */
  public static final int DEFAULT_STEPS = 200;
  /** RK45 rtol = atol when none is given (paper's Table 1). */
  public static final double DEFAULT_TOLERANCE = 1e-5;

  /** Parses the key's text; a bad one is an {@link IllegalArgumentException} that says what is allowed. */
  public static SamplerSpec parse(String text) {
    String t = text.trim().toLowerCase();
    String[] parts = t.split(":", 2);
    String arg = parts.length > 1 ? parts[1].trim() : null;
    try {
      switch (parts[0]) {
        case "euler" -> {
          int n = arg == null ? DEFAULT_STEPS : Integer.parseInt(arg);
          if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("Euler steps must be 1 to 100000");
          }
          return new SamplerSpec(Kind.EULER, n, 0);
        }
        case "rk45" -> {
          double tol = arg == null ? DEFAULT_TOLERANCE : Double.parseDouble(arg);
          if (!(tol > 0 && tol < 1)) {
            throw new IllegalArgumentException("the RK45 tolerance must be in (0, 1)");
          }
          return new SamplerSpec(Kind.RK45, 0, tol);
        }
        default -> throw new IllegalArgumentException("unknown sampler");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage() + "; use euler:N (such as euler:200), "
          + "rk45 or rk45:TOL (such as rk45:1e-5)");
    }
  }

  /** The canonical text, written into each row and stats.json: {@code euler:200}, {@code rk45:1e-05}. */
  public String label() {
    return kind == Kind.EULER ? "euler:" + steps : "rk45:" + String.format("%.0e", tolerance);
  }

  public Sampler build() {
    return kind == Kind.EULER ? new EulerSampler(steps, RectifiedFlow.EPS)
        : new Rk45Sampler(tolerance, tolerance, RectifiedFlow.EPS);
  }
}
