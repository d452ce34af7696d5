package org.pdm.model.config;

/** One pyramid latent: its spatial size and channel count, e.g. 16x16x32. */
public record LevelSpec(int height, int width, int channels) {
  /** Number of scalars per sample. */
  public long size() {
    return (long) height * width * channels;
  }

  @Override
  public String toString() {
    return height + "x" + width + "x" + channels;
  }
}
