package org.pdm.core.spark;

import java.io.File;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.PdmConfig;

/**
 * The one place that builds a SparkSession for every stage.
 *
 * <p>Under spark-submit (which sets {@code spark.master}) the session takes the cluster's settings
 * and only adds ours where they are missing. Otherwise it is an embedded run: the configured master
 * (default {@code local[*]}), the driver bound to 127.0.0.1 and the UI off unless asked for.
 * Either way DJL is kept offline on the driver and on every executor, with a cache folder that
 * exists, since without them DJL tries the network on its first use.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** True when the JVM was started by spark-submit (or any launcher that sets a master). */
  public static boolean isSubmitted() {
    return new SparkConf().contains("spark.master");
  }

  public static SparkSession getOrCreate(PdmConfig config, String stage) {
    SparkConf conf = new SparkConf();
    boolean submitted = conf.contains("spark.master");
    var spark = config.settings("spark");
    if (!submitted) {
      conf.setMaster(spark.required("master", "set it to local[*], local[N], spark://host:port, ..."));
      conf.set("spark.driver.host", "127.0.0.1");
      conf.set("spark.driver.bindAddress", "127.0.0.1");
      conf.set("spark.ui.enabled", Boolean.toString(spark.bool("ui")));
      // 200 shuffle partitions is a cluster default; on one machine it is mostly overhead.
      conf.setIfMissing("spark.sql.shuffle.partitions", Integer.toString(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
      // Progress lines count the rows of running tasks from executor heartbeats (RowsDone); at
      // Spark's 10 s they would lag that far behind.
      conf.setIfMissing("spark.executor.heartbeatInterval", "2s");
    }
    conf.setIfMissing("spark.app.name", spark.string("app-name") + " " + stage);
    // Rows of images are MBs: Parquet's first size check comes after 100 rows by default, when the
    // row group is far past its size (a "Too much memory used" dump in the log). Check from row 1:
    // the interval then adapts to the row size.
    conf.setIfMissing("spark.hadoop.parquet.page.size.row.check.min", "1");
    for (Map.Entry<String, Object> e : config.raw().getConfig("pdm.spark.conf").root().unwrapped().entrySet()) {
      conf.set(e.getKey(), String.valueOf(e.getValue()));
    }
    DjlOffline.applyToDriver(config);
    DjlOffline.applyToExecutors(conf);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** The working folder from the configuration, made absolute when it is a local path. */
  public static String workDir(PdmConfig config) {
    String dir = config.settings("").required("work-dir", "set pdm.work-dir to a folder");
    return dir.contains(":") ? dir : new File(dir).getAbsolutePath();
  }
}
