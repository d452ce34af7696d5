package org.pdm.eval.fid;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.progress.SparkProgress;
import org.pdm.core.schema.FeatureSchema;

/**
 * The Spark side of FID: pictures to a features Parquet folder ({@link FeatureSchema}) through
 * {@link PartitionFeatures} tasks, then the features' {@link FeatureMoments} merged across partitions
 * with {@code treeAggregate}.
 */
public final class FeatureJob {
  /** What one side's extraction made. */
  public record Extracted(long pictures, long features, Map<String, Long> rejects) {}

  private FeatureJob() {}

  public static Extracted extract(SparkSession spark, Dataset<Row> pictures, DetectorSource detector,
      FidConfig c, String out, String label, boolean showProgress) throws Exception {
    long total = pictures.count();
    int target = c.partitions() > 0 ? c.partitions()
        : (int) Math.max(1, Math.min(total, 2L * spark.sparkContext().defaultParallelism()));
    // Spread rows only when the input has too few partitions: a shuffle moves every picture's bytes.
    Dataset<Row> parts = pictures.rdd().getNumPartitions() < target ? pictures.repartition(target) : pictures;
    LongAccumulator done = spark.sparkContext().longAccumulator("features " + label);
    PartitionFeatures task = new PartitionFeatures(detector, c.mode(), c.inputSize(), c.batchSize(), done);
    try (SparkProgress p = SparkProgress.start(spark, "features " + label, total, done,
        java.time.Duration.ofMillis(500), showProgress)) {
      JavaRDD<Row> rows = parts.javaRDD().mapPartitions(task);
      spark.createDataFrame(rows, FeatureSchema.FEATURES).write().parquet(out);
    }
    Dataset<Row> written = spark.read().parquet(out);
    Map<String, Long> rejects = new TreeMap<>();
    long features = 0;
    for (Row r : written.groupBy("reason").count().collectAsList()) {
      if (r.isNullAt(0)) {
        features = r.getLong(1);
      } else {
        rejects.put(r.getString(0), r.getLong(1));
      }
    }
    return new Extracted(total, features, rejects);
  }

  /** Mean and covariance of a features folder's non-null features. */
  public static FeatureMoments moments(SparkSession spark, String features) {
    Dataset<Row> rows = spark.read().parquet(features).where(col("features").isNotNull()).select("features");
    return moments(rows.javaRDD());
  }

  /**
   * The moments of rows whose first column is an array of floats: per partition in blocks of 256
   * rows, then summed by {@code treeAggregate} deep enough that at most about 8 partials of
   * {@code 8 d^2} bytes reach the driver at once (32 MiB each for d = 2048: mind
   * {@code spark.driver.maxResultSize}).
   */
  public static FeatureMoments moments(JavaRDD<Row> rows) {
    JavaRDD<FeatureMoments> parts = rows.mapPartitions(FeatureJob::partitionMoments);
    FeatureMoments total = parts.treeAggregate(new FeatureMoments(0), FeatureMoments::merge, FeatureMoments::merge,
        treeDepth(parts.getNumPartitions()));
    if (total.count() < 2) {
      throw new IllegalStateException("only " + total.count() + " feature(s): FID needs at least 2 pictures per side");
    }
    return total;
  }

  /** The treeAggregate depth that brings about 8 partials of {@code partitions} to the driver at once. */
  public static int treeDepth(int partitions) {
    return Math.max(2, (int) Math.ceil(Math.log(Math.max(1, partitions)) / Math.log(8)));
  }

  private static Iterator<FeatureMoments> partitionMoments(Iterator<Row> rows) {
    FeatureMoments m = null;
    List<double[]> block = new ArrayList<>(256);
    while (rows.hasNext()) {
      List<Float> f = rows.next().getList(0);
      double[] x = new double[f.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = f.get(i);
      }
      if (m == null) {
        m = new FeatureMoments(x.length);
      }
      block.add(x);
      if (block.size() == 256) {
        m.addAll(block.toArray(new double[0][]));
        block.clear();
      }
    }
    if (m == null) {
      return List.of(new FeatureMoments(0)).iterator();
    }
    m.addAll(block.toArray(new double[0][]));
    return List.of(m).iterator();
  }

  /**
   * Up to {@code max} features of a folder (0: all), chosen by a seeded hash of the id so that the same
   * inputs give the same choice, for KID and precision/recall, which run on the driver.
   */
  public static float[][] sample(SparkSession spark, String features, int max, long seed) {
    Dataset<Row> rows = spark.read().parquet(features).where(col("features").isNotNull());
    rows = rows.orderBy(org.apache.spark.sql.functions.hash(col("id"), org.apache.spark.sql.functions.lit(seed)),
        col("id"));
    if (max > 0) {
      rows = rows.limit(max);
    }
    List<Row> got = rows.select("features").collectAsList();
    float[][] out = new float[got.size()][];
    for (int i = 0; i < out.length; i++) {
      List<Float> f = got.get(i).getList(0);
      out[i] = new float[f.size()];
      for (int j = 0; j < f.size(); j++) {
        out[i][j] = f.get(j);
      }
    }
    return out;
  }
}
