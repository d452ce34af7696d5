package org.pdm.latentcache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;
import org.pdm.core.schema.LatentSchema;

/**
 * Per pyramid level and channel: count, sum, sum of squares, min and max of the stored latent values,
 * in float64, mergeable across partitions and runs by addition (torchmetrics' pattern). Written as
 * {@code latent-stats.json} with mean and std (population) derived; the sums are kept in the file so
 * that an incremental run merges its new rows into the old totals.
 */
public final class LatentStats implements Serializable {
  private final List<LatentSchema.Level> levels;
  private final long[][] count;
  private final double[][] sum;
  private final double[][] sumSq;
  private final double[][] min;
  private final double[][] max;

  public LatentStats(List<LatentSchema.Level> levels) {
    this.levels = List.copyOf(levels);
    int n = levels.size();
    count = new long[n][];
    sum = new double[n][];
    sumSq = new double[n][];
    min = new double[n][];
    max = new double[n][];
    for (int i = 0; i < n; i++) {
      int c = levels.get(i).channels();
      count[i] = new long[c];
      sum[i] = new double[c];
      sumSq[i] = new double[c];
      min[i] = new double[c];
      max[i] = new double[c];
      java.util.Arrays.fill(min[i], Double.POSITIVE_INFINITY);
      java.util.Arrays.fill(max[i], Double.NEGATIVE_INFINITY);
    }
  }

  /** Adds one image's latent of {@code level}: (C, H, W) row-major. */
  public void add(int level, float[] chw) {
    LatentSchema.Level l = levels.get(level);
    int plane = l.height() * l.width();
    if (chw.length != l.size()) {
      throw new IllegalArgumentException("level " + level + " holds " + l.size() + " values, got " + chw.length);
    }
    for (int c = 0; c < l.channels(); c++) {
      double s = 0;
      double q = 0;
      double lo = min[level][c];
      double hi = max[level][c];
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        double v = chw[i];
        s += v;
        q += v * v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      count[level][c] += plane;
      sum[level][c] += s;
      sumSq[level][c] += q;
      min[level][c] = lo;
      max[level][c] = hi;
    }
  }

  /** Adds {@code other}'s totals into this one. */
  public LatentStats merge(LatentStats other) {
    for (int i = 0; i < levels.size(); i++) {
      for (int c = 0; c < count[i].length; c++) {
        count[i][c] += other.count[i][c];
        sum[i][c] += other.sum[i][c];
        sumSq[i][c] += other.sumSq[i][c];
        min[i][c] = Math.min(min[i][c], other.min[i][c]);
        max[i][c] = Math.max(max[i][c], other.max[i][c]);
      }
    }
    return this;
  }

  public long count(int level, int channel) {
    return count[level][channel];
  }

  public double mean(int level, int channel) {
    return count[level][channel] == 0 ? Double.NaN : sum[level][channel] / count[level][channel];
  }

  /** Population standard deviation (numpy's default ddof = 0). */
  public double std(int level, int channel) {
    double m = mean(level, channel);
    return Math.sqrt(Math.max(0, sumSq[level][channel] / count[level][channel] - m * m));
  }

  public double min(int level, int channel) {
    return min[level][channel];
  }

  public double max(int level, int channel) {
    return max[level][channel];
  }

  /** The JSON of {@code latent-stats.json}: {"levels": [{"column", "shape", "channels": [{...}]}]}. */
  public ObjectNode toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    root.put("about", "per level and channel of the stored latents (after rounding to the cache dtype): "
        + "count, mean, std (population), min, max; sum and sum_sq (float64) let later runs merge");
    ArrayNode ls = root.putArray("levels");
    for (int i = 0; i < levels.size(); i++) {
      ObjectNode l = ls.addObject();
      l.put("column", LatentSchema.column(i));
      l.put("shape", levels.get(i).text());
      ArrayNode cs = l.putArray("channels");
      for (int c = 0; c < count[i].length; c++) {
        ObjectNode o = cs.addObject();
        o.put("channel", c);
        o.put("count", count[i][c]);
        o.put("mean", mean(i, c));
        o.put("std", std(i, c));
        o.put("min", min[i][c]);
        o.put("max", max[i][c]);
        o.put("sum", sum[i][c]);
        o.put("sum_sq", sumSq[i][c]);
      }
    }
    return root;
  }

  /** Reads totals written by {@link #toJson}, for {@code levels} (an incremental run's starting point). */
  public static LatentStats fromJson(JsonNode root, List<LatentSchema.Level> levels) {
    LatentStats s = new LatentStats(levels);
    JsonNode ls = root.get("levels");
    if (ls == null || ls.size() != levels.size()) {
      throw new IllegalArgumentException("latent-stats.json has " + (ls == null ? 0 : ls.size()) + " levels, the "
          + "cache " + levels.size());
    }
    for (int i = 0; i < levels.size(); i++) {
      JsonNode cs = ls.get(i).get("channels");
      for (int c = 0; c < s.count[i].length; c++) {
        JsonNode o = cs.get(c);
        s.count[i][c] = o.get("count").asLong();
        s.sum[i][c] = o.get("sum").asDouble();
        s.sumSq[i][c] = o.get("sum_sq").asDouble();
        if (s.count[i][c] > 0) {
          s.min[i][c] = o.get("min").asDouble();
          s.max[i][c] = o.get("max").asDouble();
        }
      }
    }
    return s;
  }
}
