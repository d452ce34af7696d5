package org.pdm.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation rows once, in file and row order, in batches of {@code B}; the last batch holds the
 * rest, so every validation row is seen. The position counts batches of epoch 0.
 */
final class ValidationSource implements BatchSource {
  private final DataIndex index;
  private final RowGroupReader reader;
  private final RowCache cache;
  private final int batchSize;
  private int group;
  private int row;
  private long batch;

  ValidationSource(DataIndex index, RowGroupReader reader, int batchSize) {
    this.index = index;
    this.reader = reader;
    this.cache = new RowCache(index, index.validation(), reader);
    this.batchSize = batchSize;
  }

  @Override
  public Planned next() throws IOException {
    int[][] rows = index.validation();
    List<RawRow> out = new ArrayList<>(batchSize);
    while (out.size() < batchSize && group < rows.length) {
      if (row == rows[group].length) {
        group++;
        row = 0;
        continue;
      }
      out.add(cache.take(index.groups().get(group).first() + rows[group][row++]));
    }
    if (out.isEmpty()) {
      return null;
    }
    batch++;
    return new Planned(out, new StreamPosition(0, 0, batch));
  }

  @Override
  public void close() {
    reader.close();
  }
}
