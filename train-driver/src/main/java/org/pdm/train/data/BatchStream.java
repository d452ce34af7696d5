package org.pdm.train.data;

import java.io.IOException;

/**
 * An endless stream of training batches (epochs follow one another), decoded ahead of the device.
 * Implementations: the Parquet reader of the dataset or the latent cache, and batches held in memory
 * (benchmarks and tests).
 */
public interface BatchStream extends AutoCloseable {
  /** The next batch; blocks while it is being read and decoded. */
  Batch next() throws IOException;

  /** The position after the last batch {@link #next} returned (stored in checkpoints). */
  StreamPosition position();

  /** Rows skipped so far because they could not be decoded, with their ids and reasons. */
  BadRows badRows();

  @Override
  void close();
}
