package org.pdm.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryBatchStreamTest {
  private static List<Example> rows(int n) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Example("r" + i, new float[][] {{i, -i}}));
    }
    return out;
  }

  private static final List<long[]> SHAPES = List.of(new long[] {2});

  @Test
  void aStreamRestartedFromItsPositionGivesTheSameBatches() {
    InMemoryBatchStream straight = new InMemoryBatchStream(rows(10), SHAPES, 3, StreamPosition.start(7), new BadRows(0));
    List<List<String>> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(straight.next().ids());
    }
    InMemoryBatchStream first = new InMemoryBatchStream(rows(10), SHAPES, 3, StreamPosition.start(7), new BadRows(0));
    for (int i = 0; i < 4; i++) {
      first.next();
    }
    StreamPosition at = first.position();
    assertEquals(new StreamPosition(7, 1, 1), at); // 3 full batches an epoch (the 10th row waits)
    InMemoryBatchStream resumed = new InMemoryBatchStream(rows(10), SHAPES, 3, at, new BadRows(0));
    for (int i = 4; i < 10; i++) {
      assertEquals(expected.get(i), resumed.next().ids());
    }
  }

  @Test
  void eachEpochVisitsRowsOnceInItsOwnOrder() {
    InMemoryBatchStream s = new InMemoryBatchStream(rows(8), SHAPES, 2, StreamPosition.start(1), new BadRows(0));
    List<String> e0 = new ArrayList<>();
    List<String> e1 = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Batch b = s.next();
      e0.addAll(b.ids());
      assertEquals(List.of(2L, 2L), List.of(b.shapes().get(0)[0], b.shapes().get(0)[1]));
      assertEquals(Float.parseFloat(b.ids().get(0).substring(1)), b.arrays().get(0)[0]);
    }
    for (int i = 0; i < 4; i++) {
      e1.addAll(s.next().ids());
    }
    assertEquals(8, new HashSet<>(e0).size());
    assertEquals(new HashSet<>(e0), new HashSet<>(e1));
    assertNotEquals(e0, e1);
  }

  @Test
  void fewerRowsThanABatchIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new InMemoryBatchStream(rows(2), SHAPES, 4, StreamPosition.start(0), new BadRows(0)));
    assertEquals(true, e.getMessage().contains("pdm.train.batch-size"));
  }
}
