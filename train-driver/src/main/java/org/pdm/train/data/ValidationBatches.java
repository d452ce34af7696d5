package org.pdm.train.data;

import java.io.IOException;

/**
 * One pass over the validation split ({@link TrainData#validation}), in file and row order, in batches
 * of the batch size (the last one smaller); decoded ahead like the training stream.
 */
public final class ValidationBatches implements AutoCloseable {
  private final Prefetcher prefetcher;
  private final BadRows badRows;
  private final long rows;

  ValidationBatches(Prefetcher prefetcher, BadRows badRows, long rows) {
    this.prefetcher = prefetcher;
    this.badRows = badRows;
    this.rows = rows;
  }

  /** The next batch, or null when every validation row has been given. */
  public Batch next() throws IOException {
    Prefetcher.Taken taken = prefetcher.take();
    return taken == null ? null : taken.batch();
  }

  /** Rows of the validation split (bad ones included). */
  public long rows() {
    return rows;
  }

  public BadRows badRows() {
    return badRows;
  }

  @Override
  public void close() {
    prefetcher.close();
  }
}
