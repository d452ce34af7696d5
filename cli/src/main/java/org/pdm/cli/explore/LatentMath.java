package org.pdm.cli.explore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.pdm.core.schema.LatentSchema;

/** Arithmetic on whole latent pyramids (per level (C, H, W) arrays, largest level first). */
public final class LatentMath {
  private LatentMath() {}

  /** A row of a table and its distance to the query. */
  public record Neighbour(int row, double distance) {}

  /** (1 - t) a + t b in every level: the linear path between two pyramids. */
  public static float[][] lerp(float[][] a, float[][] b, double t) {
    float[][] out = new float[a.length][];
    for (int l = 0; l < a.length; l++) {
      if (a[l].length != b[l].length) {
        throw new IllegalArgumentException("level " + l + " has " + a[l].length + " values in one pyramid and "
            + b[l].length + " in the other");
      }
      out[l] = new float[a[l].length];
      for (int i = 0; i < a[l].length; i++) {
        out[l][i] = (float) ((1 - t) * a[l][i] + t * b[l][i]);
      }
    }
    return out;
  }

  /**
   * The {@code k} rows nearest to row {@code query} (itself left out), by Euclidean distance over all
   * levels after standardizing each level's channel by its mean and std over the table, so that a
   * level or channel with a large scale does not decide alone.
   */
  public static List<Neighbour> nearest(LatentTable table, int query, int k) {
    float[][][] z = standardized(table);
    List<Neighbour> all = new ArrayList<>();
    for (int r = 0; r < z.length; r++) {
      if (r != query) {
        all.add(new Neighbour(r, distance(z[query], z[r])));
      }
    }
    all.sort(Comparator.comparingDouble(Neighbour::distance));
    return all.subList(0, Math.min(k, all.size()));
  }

  static double distance(float[][] a, float[][] b) {
    double sum = 0;
    for (int l = 0; l < a.length; l++) {
      for (int i = 0; i < a[l].length; i++) {
        double d = a[l][i] - b[l][i];
        sum += d * d;
      }
    }
    return Math.sqrt(sum);
  }

  /** Every row with each (level, channel) shifted to mean 0 and scaled to std 1 (std 0 left unscaled). */
  static float[][][] standardized(LatentTable table) {
    List<LatentSchema.Level> levels = table.layout().levels();
    float[][][] out = new float[table.size()][levels.size()][];
    for (int l = 0; l < levels.size(); l++) {
      int plane = levels.get(l).height() * levels.get(l).width();
      for (int c = 0; c < levels.get(l).channels(); c++) {
        double[] v = table.channelValues(l, c);
        double mean = 0;
        for (double x : v) {
          mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
          var += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(var / v.length);
        double scale = std > 0 ? 1 / std : 1;
        for (int r = 0; r < table.size(); r++) {
          if (out[r][l] == null) {
            out[r][l] = new float[table.row(r)[l].length];
          }
          float[] src = table.row(r)[l];
          for (int i = c * plane; i < (c + 1) * plane; i++) {
            out[r][l][i] = (float) ((src[i] - mean) * scale);
          }
        }
      }
    }
    return out;
  }
}
