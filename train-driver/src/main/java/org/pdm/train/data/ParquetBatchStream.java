package org.pdm.train.data;

import java.io.IOException;
import java.util.Optional;
import org.pdm.core.schema.LatentSchema;

/**
 * The training batches of a dataset or latent cache in Parquet, epoch after epoch, read and decoded
 * ahead of the consumer ({@link TrainData#open}). Batch {@code k} of epoch {@code e} depends only on the
 * data, the seed, {@code e} and {@code k}.
 */
public final class ParquetBatchStream implements BatchStream {
  private final DataIndex index;
  private final Prefetcher prefetcher;
  private final BadRows badRows;
  private final long batchesPerEpoch;
  private StreamPosition position;

  ParquetBatchStream(DataIndex index, Prefetcher prefetcher, BadRows badRows, long batchesPerEpoch,
      StreamPosition start) {
    this.index = index;
    this.prefetcher = prefetcher;
    this.badRows = badRows;
    this.batchesPerEpoch = batchesPerEpoch;
    this.position = start;
  }

  @Override
  public Batch next() throws IOException {
    Prefetcher.Taken taken = prefetcher.take();
    if (taken == null) {
      throw new IllegalStateException("the training stream ended, which it never does: a bug");
    }
    position = taken.after();
    return taken.batch();
  }

  @Override
  public StreamPosition position() {
    return position;
  }

  @Override
  public BadRows badRows() {
    return badRows;
  }

  /** Whole batches in an epoch (the training rows divided by the batch size, rounded down). */
  public long batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /** Rows of the training split. */
  public long trainingRows() {
    return DataIndex.count(index.training());
  }

  /** Rows of the validation split (never in a training batch). */
  public long validationRows() {
    return DataIndex.count(index.validation());
  }

  /** The latent cache's layout (levels, shapes, dtype, checkpoint); empty for the dataset. */
  public Optional<LatentSchema.Layout> layout() {
    return index.format() instanceof LatentRows l ? Optional.of(l.layout()) : Optional.empty();
  }

  @Override
  public void close() {
    prefetcher.close();
  }
}
