package org.pdm.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pdm.model.flow.LatentScaler;

/**
 * The flow's per-level latent scaling: from the cache's {@code latent-stats.json} (written by
 * encode beside latents/: per level and channel count, sum, sum of squares) when there is one, the
 * level's std over all its channels, frozen from the first step; otherwise model's EMA estimate
 * over the first {@code warmup} steps (paper, section 4).
 */
public final class LatentScalers {
  static final String STATS = "latent-stats.json";

  private LatentScalers() {}

  /** The scaler for the cache whose latents folder is {@code latents}. */
  public static LatentScaler fromStats(Configuration hadoop, Path latents, int levels, int warmup) throws IOException {
    FileSystem fs = latents.getFileSystem(hadoop);
    for (Path file : new Path[] {new Path(latents.getParent(), STATS), new Path(latents, STATS)}) {
      if (fs.exists(file)) {
        return LatentScaler.restore(std(TrainRun.readJson(fs, file), levels, file), warmup, warmup, 0.99);
      }
    }
    return new LatentScaler(levels, warmup, 0.99);
  }

  /** Population std of each level over all its channels, from the per-channel sums. */
  static double[] std(JsonNode root, int levels, Path file) throws IOException {
    JsonNode ls = root.path("levels");
    if (ls.size() != levels) {
      throw new IOException(file + " describes " + ls.size() + " levels, the cache has " + levels);
    }
    double[] std = new double[levels];
    for (int i = 0; i < levels; i++) {
      double n = 0;
      double sum = 0;
      double sumSq = 0;
      for (JsonNode c : ls.get(i).path("channels")) {
        n += c.path("count").asDouble();
        sum += c.path("sum").asDouble();
        sumSq += c.path("sum_sq").asDouble();
      }
      if (n == 0) {
        throw new IOException(file + ": level " + i + " counts no values");
      }
      double mean = sum / n;
      std[i] = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    }
    return std;
  }
}
