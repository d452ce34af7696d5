package org.pdm.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.schema.LatentSchema;

/** The latent cache: shapes and dtype from the files' metadata, one exact float array per level. */
class LatentStreamTest {
  static final Configuration CONF = new Configuration();

  @TempDir
  java.nio.file.Path tmp;

  private String write(LatentSchema.Dtype dtype, int files, int rowsPerFile) throws IOException {
    String dir = tmp.resolve("latents-" + dtype.label()).toString();
    LatentSchema.Layout layout = TinyParquet.layout(dtype);
    int n = 0;
    for (int f = 0; f < files; f++) {
      List<TinyParquet.LatentRow> rows = new ArrayList<>();
      for (int i = 0; i < rowsPerFile; i++, n++) {
        rows.add(TinyParquet.latent(layout, "z-" + n, n));
      }
      TinyParquet.latents(CONF, new Path(dir, "part-" + f + ".parquet"), layout, rows, 4);
    }
    return dir;
  }

  @Test
  void decodesFloat16AndFloat32LevelsExactly() throws IOException {
    for (LatentSchema.Dtype dtype : LatentSchema.Dtype.values()) {
      String dir = write(dtype, 2, 9);
      TrainDataConfig cfg = new TrainDataConfig(5, 2, 2, 0.1, 0);
      try (ParquetBatchStream s = TrainData.open(CONF, dir, TrainData.Kind.LATENTS, cfg, 3,
          StreamPosition.start(11))) {
        assertEquals(dtype, s.layout().orElseThrow().dtype());
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < s.batchesPerEpoch(); k++) {
          Batch b = s.next();
          assertArrayEquals(new long[] {3, 2, 4, 4}, b.shapes().get(0));
          assertArrayEquals(new long[] {3, 3, 2, 2}, b.shapes().get(1));
          for (int i = 0; i < b.size(); i++) {
            int n = Integer.parseInt(b.ids().get(i).substring(2));
            for (int l = 0; l < 2; l++) {
              int size = l == 0 ? 32 : 12;
              assertArrayEquals(TinyParquet.latentValues(n, l, size),
                  Arrays.copyOfRange(b.arrays().get(l), i * size, (i + 1) * size), b.ids().get(i) + " z" + l);
            }
          }
          seen.addAll(b.ids());
        }
        assertEquals(s.batchesPerEpoch() * 3, seen.size());
        assertEquals(18, s.trainingRows() + s.validationRows());
      }
    }
  }

  @Test
  void refusesFilesOfDifferentLayouts() throws IOException {
    String dir = write(LatentSchema.Dtype.FLOAT16, 1, 4);
    LatentSchema.Layout other = TinyParquet.layout(LatentSchema.Dtype.FLOAT32);
    TinyParquet.latents(CONF, new Path(dir, "part-9.parquet"), other, List.of(TinyParquet.latent(other, "y", 1)), 4);
    IOException e = assertThrows(IOException.class, () -> TrainData.open(CONF, dir, TrainData.Kind.LATENTS,
        new TrainDataConfig(5, 2, 1, 0, 0), 2, StreamPosition.start(0)));
    assertTrue(e.getMessage().contains("part-0.parquet") && e.getMessage().contains("part-9.parquet"), e.getMessage());
  }

  @Test
  void refusesADatasetReadAsLatents() throws IOException {
    String dir = tmp.resolve("dataset").toString();
    TinyParquet.images(CONF, new Path(dir, "part-0.parquet"), List.of(TinyParquet.raw("a", 4, 4)), 4);
    IOException e = assertThrows(IOException.class, () -> TrainData.open(CONF, dir, TrainData.Kind.LATENTS,
        new TrainDataConfig(5, 2, 1, 0, 0), 1, StreamPosition.start(0)));
    assertTrue(e.getMessage().contains("is not a latent cache file"), e.getMessage());
    assertTrue(e.getMessage().contains("part-0.parquet"), e.getMessage());
  }
}
