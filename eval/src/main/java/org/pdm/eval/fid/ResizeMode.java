package org.pdm.eval.fid;

/** How pictures reach the network, as clean-fid names the modes. */
public enum ResizeMode {
  /** Resized to the network's size outside it by {@link CleanResize} (Pillow bicubic on float32). */
  CLEAN("clean"),
  /** uint8 pictures of any size into the network, which resizes them itself (TensorFlow's FID). */
  LEGACY_TENSORFLOW("legacy-tensorflow");

  private final String label;

  ResizeMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static ResizeMode of(String label) {
    for (ResizeMode m : values()) {
      if (m.label.equals(label)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown mode " + label + ": clean or legacy-tensorflow");
  }
}
