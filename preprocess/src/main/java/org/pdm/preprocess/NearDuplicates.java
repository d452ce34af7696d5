package org.pdm.preprocess;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.bit_count;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.pdm.preprocess.quality.PerceptualHash;

/**
 * Near-duplicates across the whole dataset by perceptual hash, as a Spark job. The 64 hash bits are
 * cut into {@code d + 1} bands: two hashes within {@code d} bits agree on at least one band
 * (pigeonhole), so comparing only pairs that share a band value (a bucket) finds every pair within
 * {@code d} without comparing all pairs. The pairs found (few: only actual near-duplicates) come to
 * the driver, which joins them into groups (union-find) and keeps one image per group: the most
 * original pixels, then the sharpest, then the smallest id.
 */
public final class NearDuplicates {
  private NearDuplicates() {}

  /** A rejected duplicate: which image was kept in its place, and their hash distance. */
  public record Duplicate(String id, String keptId, int distance) {}

  /**
   * @param kept rows with id, phash, original_width, original_height, sharpness
   * @param maxDistance the largest Hamming distance that makes two images near-duplicates
   */
  public static List<Duplicate> find(Dataset<Row> kept, int maxDistance) {
    int bands = maxDistance + 1;
    List<Column> keys = new ArrayList<>();
    int start = 0;
    for (int b = 0; b < bands; b++) {
      int len = 64 / bands + (b < 64 % bands ? 1 : 0);
      long mask = len == 64 ? -1L : (1L << len) - 1;
      // (band value) * 16 + band index: one key space for all bands (a band is at most 64 bits;
      // values of 60+ bits only occur with a single band, where the index is 0 and nothing overflows).
      Column value = shiftrightunsigned(col("phash"), start).bitwiseAND(lit(mask));
      keys.add(bands == 1 ? value : value.multiply(lit(16L)).plus(lit((long) b)));
      start += len;
    }
    Dataset<Row> banded = kept.select(col("id"), col("phash"), explode(array(keys.toArray(new Column[0]))).as("key"));
    Dataset<Row> a = banded.as("a");
    Dataset<Row> b = banded.as("b");
    List<Row> pairs = a.join(b, col("a.key").equalTo(col("b.key")).and(col("a.id").lt(col("b.id"))))
        .select(col("a.id").as("x"), col("b.id").as("y"), col("a.phash").as("hx"), col("b.phash").as("hy"))
        .where(bit_count(col("hx").bitwiseXOR(col("hy"))).leq(maxDistance))
        .dropDuplicates("x", "y")
        .collectAsList();
    if (pairs.isEmpty()) {
      return List.of();
    }
    Map<String, Long> hash = new HashMap<>();
    Map<String, String> parent = new TreeMap<>();
    for (Row p : pairs) {
      hash.put(p.getString(0), p.getLong(2));
      hash.put(p.getString(1), p.getLong(3));
      union(parent, p.getString(0), p.getString(1));
    }
    Map<String, double[]> rank = new HashMap<>();
    for (Row r : kept.where(col("id").isin(hash.keySet().toArray()))
        .select("id", "original_width", "original_height", "sharpness").collectAsList()) {
      rank.put(r.getString(0), new double[] {(double) r.getInt(1) * r.getInt(2), r.getDouble(3)});
    }
    Comparator<String> better = Comparator.<String>comparingDouble(id -> -rank.get(id)[0])
        .thenComparingDouble(id -> -rank.get(id)[1]).thenComparing(Comparator.naturalOrder());
    Map<String, List<String>> groups = new TreeMap<>();
    for (String id : parent.keySet()) {
      groups.computeIfAbsent(find(parent, id), k -> new ArrayList<>()).add(id);
    }
    List<Duplicate> out = new ArrayList<>();
    for (List<String> group : groups.values()) {
      group.sort(better);
      String keep = group.get(0);
      for (String id : group.subList(1, group.size())) {
        out.add(new Duplicate(id, keep, PerceptualHash.distance(hash.get(id), hash.get(keep))));
      }
    }
    out.sort(Comparator.comparing(Duplicate::id));
    return out;
  }

  private static String find(Map<String, String> parent, String x) {
    parent.putIfAbsent(x, x);
    String root = x;
    while (!parent.get(root).equals(root)) {
      root = parent.get(root);
    }
    while (!parent.get(x).equals(root)) {
      String next = parent.get(x);
      parent.put(x, root);
      x = next;
    }
    return root;
  }

  private static void union(Map<String, String> parent, String x, String y) {
    String rx = find(parent, x);
    String ry = find(parent, y);
    if (!rx.equals(ry)) {
      parent.put(rx.compareTo(ry) < 0 ? ry : rx, rx.compareTo(ry) < 0 ? rx : ry);
    }
  }
}
