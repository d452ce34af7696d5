package org.pdm.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The training batches, epoch after epoch: batch {@code k} of epoch {@code e} is rows
 * {@code [k*B, (k+1)*B)} of {@link EpochOrder}(seed, e); the rows after the last whole batch are
 * dropped, so every batch has {@code B} rows before bad ones are left out.
 */
final class TrainingSource implements BatchSource {
  private final DataIndex index;
  private final RowGroupReader reader;
  private final RowCache cache;
  private final int batchSize;
  private final int bufferSize;
  private final long seed;
  private final long batchesPerEpoch;
  private int epoch;
  private long batch;
  private EpochOrder order;

  /** Positioned after batch {@code start.batches()} of {@code start.epoch()}, replaying only the order. */
  TrainingSource(DataIndex index, RowGroupReader reader, int batchSize, int bufferSize, StreamPosition start) {
    this.index = index;
    this.reader = reader;
    this.cache = new RowCache(index, index.training(), reader);
    this.batchSize = batchSize;
    this.bufferSize = bufferSize;
    this.seed = start.seed();
    this.batchesPerEpoch = DataIndex.count(index.training()) / batchSize;
    this.epoch = start.epoch();
    this.batch = start.batches();
    this.order = new EpochOrder(index, index.training(), seed, epoch, bufferSize);
    for (long i = 0; i < batch * batchSize; i++) {
      cache.skip(order.next());
    }
  }

  long batchesPerEpoch() {
    return batchesPerEpoch;
  }

  @Override
  public Planned next() throws IOException {
    if (batch == batchesPerEpoch) {
      epoch++;
      batch = 0;
      order = new EpochOrder(index, index.training(), seed, epoch, bufferSize);
      cache.reset();
    }
    List<RawRow> rows = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      rows.add(cache.take(order.next()));
    }
    batch++;
    return new Planned(rows, new StreamPosition(seed, epoch, batch));
  }

  @Override
  public void close() {
    reader.close();
  }
}
