package org.pdm.model.blocks;

/**
 * The paper's decreasing dropout (section 3.3): rate {@code lowest} (0.35 by default) at the
 * lowest-resolution features, decreasing linearly to {@code highest} at the highest resolution.
 */
public final class DropoutSchedule {
  private DropoutSchedule() {}

  /**
   * Rates per resolution index, index 0 being the highest resolution and {@code levels - 1} the
   * lowest: p_i = highest + (lowest - highest) * i / (levels - 1). One level gets {@code lowest}.
   */
  public static double[] rates(int levels, double lowest, double highest) {
    if (levels < 1) {
      throw new IllegalArgumentException("levels must be >= 1, got " + levels);
    }
    double[] p = new double[levels];
    for (int i = 0; i < levels; i++) {
      p[i] = levels == 1 ? lowest : highest + (lowest - highest) * i / (levels - 1);
    }
    return p;
  }
}
