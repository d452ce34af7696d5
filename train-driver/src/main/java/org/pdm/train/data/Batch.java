package org.pdm.train.data;

import java.util.List;

/**
 * One batch as the device takes it: the rows' ids and one float array per tensor, each with its
 * shape. A dataset batch has one tensor, the images {@code [B, 3, H, W]} in [-1, 1]; a latent batch
 * has one per pyramid level, {@code [B, C_i, H_i, W_i]}, finest level first as in the cache.
 */
public record Batch(List<String> ids, List<float[]> arrays, List<long[]> shapes) {
  public Batch {
    if (arrays.size() != shapes.size()) {
      throw new IllegalArgumentException(arrays.size() + " arrays but " + shapes.size() + " shapes");
    }
    ids = List.copyOf(ids);
  }

  public int size() {
    return ids.size();
  }
}
