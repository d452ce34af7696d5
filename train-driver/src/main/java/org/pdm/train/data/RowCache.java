package org.pdm.train.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The raw rows of one pass (an epoch, or the validation pass) as the order asks for them: the first
 * row asked of a row group reads that group once and keeps its rows the pass has not given yet, until
 * each is asked for. With the shuffle buffer that holds about {@code shuffle-buffer} plus one row
 * group of rows. Rows given before a resume point are marked {@link #skip skipped} and never read.
 */
final class RowCache {
  private final DataIndex index;
  private final int[][] rows;
  private final RowGroupReader reader;
  private final BitSet given = new BitSet();
  private final Map<Integer, RawRow> held = new HashMap<>();

  /** A cache of the rows {@code rows} (per group, row numbers in the group, ascending). */
  RowCache(DataIndex index, int[][] rows, RowGroupReader reader) {
    this.index = index;
    this.rows = rows;
    this.reader = reader;
  }

  /** Starts a new pass: every row is to come again. */
  void reset() {
    given.clear();
    held.clear();
  }

  /** Marks input-wide row {@code row} as given without reading it (a resumed stream's skipped rows). */
  void skip(int row) {
    given.set(row);
  }

  /** The raw row of input-wide row {@code row}, read with the rest of its row group if not held. */
  RawRow take(int row) throws IOException {
    RawRow raw = held.remove(row);
    if (raw == null) {
      int g = index.groupOf(row);
      DataIndex.RowGroup group = index.groups().get(g);
      int[] planned = rows[g];
      for (RowGroupReader.IndexedRow r : reader.read(group,
          r -> Arrays.binarySearch(planned, r) >= 0 && !given.get(group.first() + r))) {
        held.put(r.index(), r.row());
      }
      raw = held.remove(row);
      if (raw == null) {
        throw new IllegalStateException("row " + row + " is not in the pass or was given twice");
      }
    }
    given.set(row);
    return raw;
  }

  /** Rows read and not yet given (for tests of the memory bound). */
  int held() {
    return held.size();
  }
}
