package org.pdm.core.synth;

import java.io.Serializable;

/**
 * One planned image: everything needed to paint it again, byte for byte, on any executor.
 *
 * @param offSpec why a preset filter should reject it ("too-small", "portrait"), or "" when it fits
 */
public record SynthItem(int index, String id, String kind, int width, int height, String format, long seed,
    String offSpec) implements Serializable {

  public String fileName() {
    return id + "." + (format.equals("png") ? "png" : "jpg");
  }
}
