package org.pdm.train.data;

/**
 * Where a training stream stands after the last batch it gave: what a checkpoint stores so that a
 * resumed run continues with the next unseen batch. The order of epoch {@code epoch} is a function
 * of {@code (seed, epoch)} only, so {@code batches} (batches already given in that epoch) is enough.
 */
public record StreamPosition(long seed, int epoch, long batches) {
  public static StreamPosition start(long seed) {
    return new StreamPosition(seed, 0, 0);
  }
}
