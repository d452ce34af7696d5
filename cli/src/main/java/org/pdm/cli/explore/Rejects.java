package org.pdm.cli.explore;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.stage.WorkLayout;

/** A stage's rejects ({@code <stage>/rejects/*.parquet}, every one with a {@code reason} column). */
public final class Rejects {
  private Rejects() {}

  /** The stage's rejects, or empty when it rejected nothing (no folder, or no Parquet file in it). */
  public static Optional<Dataset<Row>> read(SparkSession spark, String stageDir) throws java.io.IOException {
    Path dir = new Path(stageDir + File.separator + WorkLayout.REJECTS);
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(dir) || fs.globStatus(new Path(dir, "*.parquet")).length == 0) {
      return Optional.empty();
    }
    return Optional.of(spark.read().parquet(dir.toString()));
  }

  /** Count of rejects per reason, by reason; empty when there are none. */
  public static Map<String, Long> byReason(SparkSession spark, String stageDir) throws java.io.IOException {
    Map<String, Long> out = new LinkedHashMap<>();
    read(spark, stageDir).ifPresent(d -> d.groupBy("reason").count().orderBy("reason").collectAsList()
        .forEach(r -> out.put(r.getString(0), r.getLong(1))));
    return out;
  }
}
