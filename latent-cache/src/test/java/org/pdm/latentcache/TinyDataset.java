package org.pdm.latentcache;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;

/** A preprocess output folder written for tests: PNG rows in DatasetSchema, plus optional bad rows. */
final class TinyDataset {
  private TinyDataset() {}

  /** A PNG of random smooth-ish colours, {@code w x h}, from {@code seed}. */
  static byte[] png(int w, int h, long seed) throws IOException {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int base = r.nextInt(0xffffff);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (base + x * 0x050301 + y * 0x010507 + r.nextInt(16)) & 0xffffff);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static Row row(String id, byte[] image, int w, int h) {
    return RowFactory.create(id, image, "png", w, h, w, h, 0, 0, w, h, 1, "png", "sRGB", 1.0, 0L);
  }

  /** Good 32x32 rows with ids {@code prefix0..prefix(n-1)}. */
  static List<Row> good(String prefix, int n) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(row(prefix + i, png(32, 32, i * 31L + prefix.hashCode()), 32, 32));
    }
    return rows;
  }

  /** Writes {@code rows} as preprocess's output folder at {@code out} (manifest and dataset/). */
  static void write(SparkSession spark, String out, List<Row> rows) throws Exception {
    StageOutput.at(spark.sparkContext().hadoopConfiguration(), out).run(new StageSpec(
        WorkLayout.PREPROCESS.stage(), "{\"rows\":" + rows.size() + "}", List.of()), true, ctx ->
        spark.createDataFrame(rows, DatasetSchema.DATASET).coalesce(1).write().parquet(ctx.path("dataset")));
  }
}
