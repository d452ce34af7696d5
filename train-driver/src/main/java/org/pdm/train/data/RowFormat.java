package org.pdm.train.data;

import java.util.List;
import org.apache.parquet.example.data.Group;

/**
 * How one kind of row is read and decoded: the dataset's pictures ({@link ImageRows}) or the latent
 * cache's levels ({@link LatentRows}). Decoding is a pure function of the rows, so batches do not
 * depend on which thread decodes them.
 */
interface RowFormat {
  /** The columns to read besides {@code id}. */
  List<String> columns();

  /** The row's fields from a Parquet record holding {@code id} and {@link #columns()}. */
  RawRow raw(String id, Group record);

  /** The rows as one batch; the rows that cannot be used are left out and returned with their reason. */
  Decoded decode(List<RawRow> rows);

  /** A decoded batch and the rows left out of it. */
  record Decoded(Batch batch, List<BadRows.Row> bad) {}

  /** The bytes of a binary column, or null when the value is absent. */
  static byte[] bytes(Group record, String column) {
    return record.getFieldRepetitionCount(column) == 0 ? null : record.getBinary(column, 0).getBytes();
  }
}
