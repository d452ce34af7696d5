package org.pdm.core.spark;

import java.io.File;
import org.apache.spark.SparkConf;
import org.pdm.core.config.PdmConfig;

/**
 * DJL's settings that keep it off the network: {@code ai.djl.offline=true}, {@code OPT_OUT_TRACKING}
 * and a {@code DJL_CACHE_DIR} (the native library is extracted there once, ~430 MB).
 */
final class DjlOffline {
  private DjlOffline() {}

  static void applyToDriver(PdmConfig config) {
    System.setProperty("ai.djl.offline", "true");
    if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
      String work = SparkSessions.workDir(config);
      if (!work.contains(":")) {
        System.setProperty("DJL_CACHE_DIR", new File(work, ".djl-cache").getAbsolutePath());
      }
    }
  }

  static void applyToExecutors(SparkConf conf) {
    String opts = conf.get("spark.executor.extraJavaOptions", "");
    if (!opts.contains("ai.djl.offline")) {
      conf.set("spark.executor.extraJavaOptions", (opts + " -Dai.djl.offline=true").trim());
    }
    conf.setIfMissing("spark.executorEnv.OPT_OUT_TRACKING", "true");
    String cache = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
    if (cache != null) {
      conf.setIfMissing("spark.executorEnv.DJL_CACHE_DIR", cache);
    }
  }
}
