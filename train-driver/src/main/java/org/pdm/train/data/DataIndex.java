package org.pdm.train.data;

import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * What a stream reads, found once when it opens ({@link DataIndexer}): the row groups of the Parquet
 * files, for each which rows are training and which validation, and how rows decode. One int per row.
 */
final class DataIndex {
  /** A row group: {@code block} of {@code file}, its row count, and the input-wide number of its first row. */
  record RowGroup(Path file, int block, int rows, int first) {}

  private final List<RowGroup> groups;
  private final int[][] training;
  private final int[][] validation;
  private final RowFormat format;
  private final List<BadRows.Row> trainingBad;
  private final List<BadRows.Row> validationBad;

  DataIndex(List<RowGroup> groups, int[][] training, int[][] validation, RowFormat format,
      List<BadRows.Row> trainingBad, List<BadRows.Row> validationBad) {
    this.groups = groups;
    this.training = training;
    this.validation = validation;
    this.format = format;
    this.trainingBad = trainingBad;
    this.validationBad = validationBad;
  }

  List<RowGroup> groups() {
    return groups;
  }

  /** Row numbers (in the group) of the training rows of each group. */
  int[][] training() {
    return training;
  }

  /** Row numbers (in the group) of the validation rows of each group. */
  int[][] validation() {
    return validation;
  }

  RowFormat format() {
    return format;
  }

  /** Rows found unusable while indexing (a null id), training side. */
  List<BadRows.Row> trainingBad() {
    return trainingBad;
  }

  List<BadRows.Row> validationBad() {
    return validationBad;
  }

  static long count(int[][] rows) {
    long n = 0;
    for (int[] g : rows) {
      n += g.length;
    }
    return n;
  }

  /** The group holding input-wide row {@code index}. */
  int groupOf(int index) {
    int lo = 0;
    int hi = groups.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (groups.get(mid).first() <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }
}
