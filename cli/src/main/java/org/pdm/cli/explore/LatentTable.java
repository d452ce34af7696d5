package org.pdm.cli.explore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.schema.LatentSchema;
import org.pdm.core.stage.WorkLayout;

/**
 * A latent cache ({@code pdm encode}'s output) in memory, for exploring small caches: the layout from
 * a Parquet footer's {@code pdm.latent.*} metadata (as any outside reader would do) and every row's
 * levels as floats, sorted by id.
 */
public final class LatentTable {
  private final LatentSchema.Layout layout;
  private final List<String> ids;
  /** rows.get(r)[level] = the level's (C, H, W) values, row-major. */
  private final List<float[][]> rows;

  LatentTable(LatentSchema.Layout layout, List<String> ids, List<float[][]> rows) {
    this.layout = layout;
    this.ids = List.copyOf(ids);
    this.rows = List.copyOf(rows);
  }

  /** Reads {@code <stageDir>/latents/*.parquet} (stageDir: the encode output, such as work/latents). */
  public static LatentTable read(SparkSession spark, String stageDir) throws IOException {
    String data = stageDir + "/" + WorkLayout.LATENTS.data();
    LatentSchema.Layout layout = layout(spark.sparkContext().hadoopConfiguration(), data);
    List<String> cols = new ArrayList<>(List.of("id"));
    for (int i = 0; i < layout.levels().size(); i++) {
      cols.add(LatentSchema.column(i));
    }
    List<String> ids = new ArrayList<>();
    List<float[][]> rows = new ArrayList<>();
    for (Row r : spark.read().parquet(data).selectExpr(cols.toArray(String[]::new)).orderBy("id").collectAsList()) {
      ids.add(r.getString(0));
      float[][] levels = new float[layout.levels().size()][];
      for (int i = 0; i < levels.length; i++) {
        levels[i] = layout.dtype().decode((byte[]) r.get(i + 1));
      }
      rows.add(levels);
    }
    return new LatentTable(layout, ids, rows);
  }

  /** The layout written in the first Parquet file's key-value metadata. */
  static LatentSchema.Layout layout(Configuration conf, String dataDir) throws IOException {
    Path dir = new Path(dataDir);
    FileSystem fs = dir.getFileSystem(conf);
    FileStatus first = Arrays.stream(fs.listStatus(dir)).filter(s -> s.getPath().getName().endsWith(".parquet"))
        .min((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()))
        .orElseThrow(() -> new IllegalArgumentException("no .parquet file in " + dataDir
            + ": is it pdm encode's output (work/latents)?"));
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(first, conf))) {
      return LatentSchema.Layout.fromMetadata(reader.getFooter().getFileMetaData().getKeyValueMetaData());
    }
  }

  public LatentSchema.Layout layout() {
    return layout;
  }

  public int size() {
    return rows.size();
  }

  public String id(int row) {
    return ids.get(row);
  }

  public List<String> ids() {
    return ids;
  }

  /** Row {@code row}'s levels, largest first, each (C, H, W) row-major. */
  public float[][] row(int row) {
    return rows.get(row);
  }

  /** The given rows stacked per level, each (B, C, H, W) row-major: the autoencoder's batch input. */
  public float[][] batch(int... rowIndexes) {
    List<float[][]> picked = new ArrayList<>();
    for (int r : rowIndexes) {
      picked.add(rows.get(r));
    }
    return stack(picked);
  }

  /** Latents of several images (each per level (C, H, W)) stacked per level into (B, C, H, W). */
  public static float[][] stack(List<float[][]> latents) {
    int levels = latents.get(0).length;
    float[][] out = new float[levels][];
    for (int l = 0; l < levels; l++) {
      int n = latents.get(0)[l].length;
      out[l] = new float[n * latents.size()];
      for (int b = 0; b < latents.size(); b++) {
        System.arraycopy(latents.get(b)[l], 0, out[l], b * n, n);
      }
    }
    return out;
  }

  /** Every stored value of one channel of one level, over all rows (for histograms). */
  public double[] channelValues(int level, int channel) {
    LatentSchema.Level shape = layout.levels().get(level);
    int plane = shape.height() * shape.width();
    double[] out = new double[plane * rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      float[] z = rows.get(r)[level];
      for (int i = 0; i < plane; i++) {
        out[r * plane + i] = z[channel * plane + i];
      }
    }
    return out;
  }
}
