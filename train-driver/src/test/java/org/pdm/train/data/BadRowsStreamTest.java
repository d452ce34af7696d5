package org.pdm.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.schema.LatentSchema;

/** Rows that cannot be used are skipped, counted once with their reason, and past the limit stop the run. */
class BadRowsStreamTest {
  static final Configuration CONF = new Configuration();
  static final int B = 4;

  @TempDir
  static java.nio.file.Path tmp;
  static String images;
  static String latents;

  @BeforeAll
  static void write() throws IOException {
    images = tmp.resolve("dataset").toString();
    List<TinyParquet.ImageRow> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(TinyParquet.raw("ok-" + i, 8, 8));
    }
    rows.add(new TinyParquet.ImageRow("not-a-png", new byte[] {1, 2, 3, 4}, "png", 8, 8));
    rows.add(TinyParquet.raw("small", 4, 4));
    rows.add(new TinyParquet.ImageRow("no-image", null, "raw", 8, 8));
    rows.add(new TinyParquet.ImageRow("short-raw", new byte[10], "raw", 8, 8));
    rows.add(new TinyParquet.ImageRow(null, TinyParquet.rawPixels("x", 8, 8), "raw", 8, 8));
    TinyParquet.images(CONF, new Path(images, "part-0.parquet"), rows, 6);

    latents = tmp.resolve("latents").toString();
    LatentSchema.Layout layout = TinyParquet.layout(LatentSchema.Dtype.FLOAT16);
    List<TinyParquet.LatentRow> lat = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lat.add(TinyParquet.latent(layout, "z-" + i, i));
    }
    lat.add(new TinyParquet.LatentRow("truncated", new byte[][] {new byte[7], new byte[24]}));
    lat.add(new TinyParquet.LatentRow("no-z1", new byte[][] {new byte[64], null}));
    TinyParquet.latents(CONF, new Path(latents, "part-0.parquet"), layout, lat, 5);
  }

  static TrainDataConfig cfg(int maxBad) {
    return new TrainDataConfig(6, 2, 2, 0, maxBad);
  }

  @Test
  void skipsAndCountsEachBadPictureOnceWithItsReason() throws IOException {
    try (ParquetBatchStream s = TrainData.open(CONF, images, TrainData.Kind.IMAGES, cfg(10), B,
        StreamPosition.start(3))) {
      long n = s.batchesPerEpoch();
      assertEquals(35 / B, n);
      Set<String> seen = new HashSet<>();
      long rows = 0;
      for (int i = 0; i < 3 * n; i++) {
        Batch b = s.next();
        assertEquals(b.size(), b.shapes().get(0)[0]);
        assertEquals(b.size() * 3 * 8 * 8, b.arrays().get(0).length);
        seen.addAll(b.ids());
        rows += b.size();
      }
      assertEquals(new StreamPosition(3, 2, n), s.position());
      assertTrue(rows < 3 * n * B, "bad rows leave their batch smaller");
      Map<String, String> bad = s.badRows().rows().stream()
          .collect(Collectors.toMap(BadRows.Row::id, BadRows.Row::reason));
      assertEquals(Set.of("not-a-png", "small", "no-image", "short-raw", "part-0.parquet#5:4"), bad.keySet());
      assertTrue(bad.get("small").contains("4x4"), bad.get("small"));
      assertTrue(bad.get("no-image").contains("null image"));
      assertTrue(bad.get("short-raw").contains("10 bytes"), bad.get("short-raw"));
      assertTrue(bad.get("part-0.parquet#5:4").contains("null id"));
      for (String id : bad.keySet()) {
        assertFalse(seen.contains(id));
      }
    }
  }

  @Test
  void resumingDoesNotDecodeTheSkippedRows() throws IOException {
    long n;
    List<Integer> countAfter = new ArrayList<>(); // bad rows counted after each batch of epoch 0
    try (ParquetBatchStream s = TrainData.open(CONF, images, TrainData.Kind.IMAGES, cfg(10), B,
        StreamPosition.start(5))) {
      n = s.batchesPerEpoch();
      countAfter.add(s.badRows().count());
      for (int k = 0; k < n; k++) {
        s.next();
        countAfter.add(s.badRows().count());
      }
    }
    assertTrue(countAfter.get((int) n) > countAfter.get(0), "the fixture should meet bad rows in epoch 0");
    for (int k = 0; k <= n; k++) {
      try (ParquetBatchStream r = TrainData.open(CONF, images, TrainData.Kind.IMAGES, cfg(10), B,
          new StreamPosition(5, 0, k))) {
        for (long i = k; i < n; i++) {
          r.next();
        }
        // Only the null id (found while indexing) and the bad rows of the batches given after k.
        assertEquals(countAfter.get(0) + countAfter.get((int) n) - countAfter.get(k), r.badRows().count(), "k=" + k);
      }
    }
  }

  @Test
  void moreBadRowsThanTheLimitStopWithTheirIds() throws IOException {
    BadRows.TooManyBadRowsException e = assertThrows(BadRows.TooManyBadRowsException.class, () -> {
      try (ParquetBatchStream s = TrainData.open(CONF, images, TrainData.Kind.IMAGES, cfg(2), B,
          StreamPosition.start(3))) {
        for (int i = 0; i < s.batchesPerEpoch(); i++) {
          s.next();
        }
      }
    });
    assertEquals(3, e.rows().size());
    assertTrue(e.getMessage().contains("max-bad-rows = 2"), e.getMessage());
    assertTrue(e.getMessage().contains("part-0.parquet#5:4 (null id)"), e.getMessage());
  }

  @Test
  void skipsLatentsOfTheWrongLengthOrNull() throws IOException {
    try (ParquetBatchStream s = TrainData.open(CONF, latents, TrainData.Kind.LATENTS, cfg(10), 2,
        StreamPosition.start(1))) {
      int rows = 0;
      for (int i = 0; i < s.batchesPerEpoch(); i++) {
        Batch b = s.next();
        assertEquals(b.size(), b.shapes().get(1)[0]);
        rows += b.size();
      }
      Map<String, String> bad = s.badRows().rows().stream()
          .collect(Collectors.toMap(BadRows.Row::id, BadRows.Row::reason));
      assertEquals(Set.of("truncated", "no-z1"), bad.keySet());
      assertTrue(bad.get("truncated").contains("z0 has 7 bytes, the layout says 64"), bad.get("truncated"));
      assertTrue(bad.get("no-z1").contains("null z1"));
      assertEquals(20, rows, "22 rows in 11 batches of 2, the 2 bad ones left out");
    }
  }
}
