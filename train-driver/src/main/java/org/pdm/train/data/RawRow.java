package org.pdm.train.data;

/**
 * One row as read from Parquet, not yet decoded: its id, its byte columns (the picture, or one latent
 * per level), and for pictures the format and size. {@code problem} says why it cannot be used when a
 * needed column is null (the decoder then skips it as a bad row).
 */
record RawRow(String id, byte[][] blobs, String format, int width, int height, String problem) {
  static RawRow bad(String id, String problem) {
    return new RawRow(id, new byte[0][], null, 0, 0, problem);
  }
}
