package org.pdm.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** The epoch order on an index of 6 row groups of 10 rows (every third row held out), no files. */
class EpochOrderTest {
  private static DataIndex index() {
    List<DataIndex.RowGroup> groups = new ArrayList<>();
    int[][] training = new int[6][];
    for (int g = 0; g < 6; g++) {
      groups.add(new DataIndex.RowGroup(new Path("/f" + g), 0, 10, g * 10));
      training[g] = new int[] {0, 1, 2, 4, 5, 7, 8}; // rows 3, 6, 9 are validation
    }
    return new DataIndex(groups, training, new int[6][0], new LatentRows(TinyParquet.layout(
        org.pdm.core.schema.LatentSchema.Dtype.FLOAT16)), List.of(), List.of());
  }

  private static List<Integer> order(DataIndex index, long seed, int epoch, int buffer) {
    EpochOrder o = new EpochOrder(index, index.training(), seed, epoch, buffer);
    List<Integer> out = new ArrayList<>();
    while (o.remaining() > 0) {
      out.add(o.next());
    }
    return out;
  }

  @Test
  void givesEveryTrainingRowOnceForAnyBufferSize() {
    DataIndex index = index();
    for (int buffer : new int[] {1, 3, 7, 42, 1000}) {
      List<Integer> o = order(index, 1, 0, buffer);
      assertEquals(42, o.size());
      TreeSet<Integer> rows = new TreeSet<>(o);
      assertEquals(42, rows.size(), "buffer " + buffer);
      for (int r : rows) {
        assertFalse(List.of(3, 6, 9).contains(r % 10), "validation row " + r);
      }
    }
  }

  @Test
  void aBufferOfOneKeepsEachRowGroupWholeInFileOrder() {
    List<Integer> o = order(index(), 9, 2, 1);
    for (int i = 0; i < o.size(); i += 7) {
      int g = o.get(i) / 10;
      List<Integer> expected = new ArrayList<>();
      for (int r : new int[] {0, 1, 2, 4, 5, 7, 8}) {
        expected.add(g * 10 + r);
      }
      assertEquals(expected, o.subList(i, i + 7));
    }
  }

  @Test
  void dependsOnSeedAndEpochOnly() {
    DataIndex index = index();
    assertEquals(order(index, 4, 1, 5), order(index, 4, 1, 5));
    assertNotEquals(order(index, 4, 1, 5), order(index, 4, 2, 5));
    assertNotEquals(order(index, 4, 1, 5), order(index, 5, 1, 5));
  }
}
