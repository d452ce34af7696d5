package org.pdm.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.ValidationSplit;

/** The dataset stream over 3 files in row groups of 7 rows: order, epochs, resume, threads, the split. */
class ParquetBatchStreamTest {
  static final int W = 8;
  static final int H = 6;
  static final int B = 5;
  static final long SEED = 7;
  static final Configuration CONF = new Configuration();

  @TempDir
  static java.nio.file.Path tmp;
  static String data;
  static final List<String> ALL = new ArrayList<>();

  @BeforeAll
  static void write() throws IOException {
    data = tmp.resolve("dataset").toString();
    int n = 0;
    for (int[] file : new int[][] {{0, 20}, {1, 17}, {2, 23}}) {
      List<TinyParquet.ImageRow> rows = new ArrayList<>();
      for (int i = 0; i < file[1]; i++) {
        String id = "img-" + n++;
        ALL.add(id);
        rows.add(i % 5 == 0 ? TinyParquet.png(id, W, H) : TinyParquet.raw(id, W, H));
      }
      TinyParquet.images(CONF, new Path(data, "part-" + file[0] + ".parquet"), rows, 7);
    }
    // Bookkeeping that is not data: skipped by name.
    TinyParquet.images(CONF, new Path(data, ".hidden.parquet"), List.of(TinyParquet.raw("hidden", W, H)), 7);
    new Path(data, "_SUCCESS").getFileSystem(CONF).create(new Path(data, "_SUCCESS")).close();
  }

  static TrainDataConfig cfg(int threads, int prefetch) {
    return new TrainDataConfig(8, prefetch, threads, 0.2, 10);
  }

  static ParquetBatchStream open(StreamPosition at, int threads, int prefetch) throws IOException {
    return TrainData.open(CONF, data, TrainData.Kind.IMAGES, cfg(threads, prefetch), B, at);
  }

  static List<Batch> take(BatchStream s, int n) throws IOException {
    List<Batch> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(s.next());
    }
    return out;
  }

  static void assertSame(List<Batch> expected, List<Batch> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      Batch e = expected.get(i);
      Batch a = actual.get(i);
      assertEquals(e.ids(), a.ids(), "ids of batch " + i);
      for (int t = 0; t < e.arrays().size(); t++) {
        assertArrayEquals(e.shapes().get(t), a.shapes().get(t));
        assertArrayEquals(e.arrays().get(t), a.arrays().get(t), "tensor " + t + " of batch " + i);
      }
    }
  }

  static List<String> training() {
    ValidationSplit split = new ValidationSplit(0.2);
    return ALL.stream().filter(id -> !split.isValidation(id)).toList();
  }

  @Test
  void sameSeedGivesSameBatchesAndEpochsDiffer() throws IOException {
    try (ParquetBatchStream a = open(StreamPosition.start(SEED), 2, 3);
        ParquetBatchStream b = open(StreamPosition.start(SEED), 2, 3);
        ParquetBatchStream other = open(StreamPosition.start(SEED + 1), 2, 3)) {
      int n = (int) a.batchesPerEpoch();
      List<Batch> first = take(a, 2 * n);
      assertSame(first, take(b, 2 * n));
      List<String> epoch0 = first.subList(0, n).stream().flatMap(x -> x.ids().stream()).toList();
      List<String> epoch1 = first.subList(n, 2 * n).stream().flatMap(x -> x.ids().stream()).toList();
      assertNotEquals(epoch0, epoch1);
      assertNotEquals(epoch0, take(other, n).stream().flatMap(x -> x.ids().stream()).toList());
    }
  }

  @Test
  void givesEachTrainingRowOncePerEpochInWholeBatches() throws IOException {
    List<String> training = training();
    try (ParquetBatchStream s = open(StreamPosition.start(SEED), 2, 2)) {
      assertEquals(training.size(), s.trainingRows());
      assertEquals(ALL.size() - training.size(), s.validationRows());
      long n = s.batchesPerEpoch();
      assertEquals(training.size() / B, n);
      assertTrue(training.size() % B != 0, "the fixture should leave a remainder to drop");
      for (int e = 0; e < 2; e++) {
        Set<String> seen = new HashSet<>();
        for (int k = 1; k <= n; k++) {
          Batch b = s.next();
          assertEquals(B, b.size());
          assertArrayEquals(new long[] {B, 3, H, W}, b.shapes().get(0));
          seen.addAll(b.ids());
          assertEquals(new StreamPosition(SEED, e, k), s.position());
        }
        assertEquals(n * B, seen.size(), "no row twice in epoch " + e);
        assertTrue(training.containsAll(seen));
      }
    }
  }

  @Test
  void decodesEachPictureAsCoreDoes() throws IOException {
    try (ParquetBatchStream s = open(StreamPosition.start(SEED), 1, 1)) {
      for (Batch b : take(s, 4)) {
        int plane = 3 * W * H;
        for (int i = 0; i < b.size(); i++) {
          float[] expected = DatasetImages.chwUnit(TinyParquet.rawPixels(b.ids().get(i), W, H), "raw", W, H);
          float[] actual = java.util.Arrays.copyOfRange(b.arrays().get(0), i * plane, (i + 1) * plane);
          assertArrayEquals(expected, actual, b.ids().get(i));
        }
      }
    }
  }

  @Test
  void resumingAtEveryPositionGivesTheContinuousStream() throws IOException {
    List<Batch> continuous;
    int n;
    try (ParquetBatchStream s = open(StreamPosition.start(SEED), 2, 2)) {
      n = (int) s.batchesPerEpoch();
      continuous = take(s, 2 * n + 2);
    }
    for (int e = 0; e < 2; e++) {
      for (int k = 0; k <= n; k++) {
        try (ParquetBatchStream r = open(new StreamPosition(SEED, e, k), 2, 2)) {
          int from = e * n + k;
          assertSame(continuous.subList(from, from + 2), take(r, 2));
        }
      }
    }
  }

  @Test
  void threadCountAndPrefetchDoNotChangeTheBatches() throws IOException {
    try (ParquetBatchStream one = open(StreamPosition.start(SEED), 1, 1);
        ParquetBatchStream four = open(StreamPosition.start(SEED), 4, 6)) {
      int n = (int) one.batchesPerEpoch();
      assertSame(take(one, 2 * n + 1), take(four, 2 * n + 1));
    }
  }

  @Test
  void validationRowsAreHeldOutInAFixedOrder() throws IOException {
    ValidationSplit split = new ValidationSplit(0.2);
    List<String> expected = ALL.stream().filter(split::isValidation).toList();
    assertFalse(expected.isEmpty());
    List<String> first = validationIds();
    assertEquals(expected, first);
    assertEquals(first, validationIds());
    try (ParquetBatchStream s = open(StreamPosition.start(SEED), 2, 2)) {
      for (Batch b : take(s, 3 * (int) s.batchesPerEpoch())) {
        for (String id : b.ids()) {
          assertFalse(expected.contains(id), id + " is a validation row");
        }
      }
    }
  }

  private static List<String> validationIds() throws IOException {
    List<String> ids = new ArrayList<>();
    try (ValidationBatches v = TrainData.validation(CONF, data, TrainData.Kind.IMAGES, cfg(2, 2), B)) {
      assertEquals(v.rows(), ALL.stream().filter(new ValidationSplit(0.2)::isValidation).count());
      for (Batch b = v.next(); b != null; b = v.next()) {
        assertTrue(b.size() <= B && b.size() > 0);
        ids.addAll(b.ids());
      }
      assertNull(v.next());
    }
    return ids;
  }

  @Test
  void indexesEveryRowGroupOfEveryFile() throws IOException {
    var pool = Executors.newFixedThreadPool(2);
    try {
      DataIndex index = DataIndexer.scan(CONF, new Path(data), TrainData.Kind.IMAGES, new ValidationSplit(0.2), pool);
      assertEquals(3 + 3 + 4, index.groups().size(), "20, 17 and 23 rows in groups of 7; hidden files skipped");
      assertEquals(ALL.size(), DataIndex.count(index.training()) + DataIndex.count(index.validation()));
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void holdsAboutTheShuffleBufferAndOneRowGroup() throws IOException {
    var pool = Executors.newFixedThreadPool(1);
    DataIndex index = DataIndexer.scan(CONF, new Path(data), TrainData.Kind.IMAGES, new ValidationSplit(0.2), pool);
    pool.shutdown();
    try (RowGroupReader reader = new RowGroupReader(CONF, index.format())) {
      RowCache cache = new RowCache(index, index.training(), reader);
      EpochOrder order = new EpochOrder(index, index.training(), SEED, 0, 8);
      int most = 0;
      while (order.remaining() > 0) {
        cache.take(order.next());
        most = Math.max(most, cache.held());
      }
      assertEquals(0, cache.held());
      assertTrue(most <= 8 + 2 * 7, "held at most " + most + " rows");
    }
  }
}
