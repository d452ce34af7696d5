package org.pdm.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.LatentSchema;
import org.pdm.core.schema.ValidationSplit;

/**
 * Reads a whole dataset or latent cache folder (its {@code *.parquet} files, on any Hadoop file
 * system, without Spark) into decoded {@link Example}s, split into training and validation rows by
 * {@link ValidationSplit}. Rows are decoded by {@code threads} threads; a row that cannot be used is
 * counted in {@link BadRows} with its reason. The result is sorted by id, so that the rows' order
 * (and with it every epoch's order) does not depend on file listing order.
 *
 * <p>Everything is held in memory: this serves data sets that fit (the demo's, tests, benchmarks);
 * the streaming reader of {@code TrainData} serves the rest.
 */
public final class ParquetExamples {
  /** The rows of both splits, and the tensor shapes (no batch axis) they all have. */
  public record Loaded(List<Example> train, List<Example> validation, List<long[]> shapes, BadRows badRows) {}

  private ParquetExamples() {}

  /** Images of {@code height x width} from preprocess's dataset folder, as (3, H, W) floats in [-1, 1]. */
  public static Loaded images(Configuration hadoop, Path dir, int height, int width, ValidationSplit split,
      int threads, int maxBadRows) throws IOException {
    BadRows bad = new BadRows(maxBadRows);
    List<Group> rows = readAll(hadoop, dir);
    List<Example> out = decode(rows, threads, g -> {
      String id = g.getString("id", 0);
      int w = g.getInteger("width", 0);
      int h = g.getInteger("height", 0);
      if (w != width || h != height) {
        bad.add(id, "wrong-size: " + w + "x" + h + ", the model takes " + width + "x" + height);
        return null;
      }
      try {
        return new Example(id, new float[][] {DatasetImages.chwUnit(g.getBinary("image", 0).getBytes(),
            g.getString("format", 0), w, h)});
      } catch (DatasetImages.BadImageException e) {
        bad.add(id, "undecodable: " + e.getMessage());
        return null;
      }
    });
    return split(out, List.of(new long[] {3, height, width}), split, bad);
  }

  /** The latent means of every level (finest first) from encode's latents folder. */
  public static Loaded latents(Configuration hadoop, Path dir, ValidationSplit split, int threads, int maxBadRows)
      throws IOException {
    LatentSchema.Layout layout = layout(hadoop, dir);
    BadRows bad = new BadRows(maxBadRows);
    List<Group> rows = readAll(hadoop, dir);
    List<long[]> shapes = new ArrayList<>();
    for (LatentSchema.Level l : layout.levels()) {
      shapes.add(new long[] {l.channels(), l.height(), l.width()});
    }
    List<Example> out = decode(rows, threads, g -> {
      String id = g.getString("id", 0);
      float[][] z = new float[layout.levels().size()][];
      for (int i = 0; i < z.length; i++) {
        z[i] = layout.dtype().decode(g.getBinary(LatentSchema.column(i), 0).getBytes());
        LatentSchema.Level l = layout.levels().get(i);
        if (z[i].length != l.size()) {
          bad.add(id, "wrong latent shape: " + LatentSchema.column(i) + " holds " + z[i].length + " values, the "
              + "cache says " + l.text());
          return null;
        }
      }
      return new Example(id, z);
    });
    return split(out, shapes, split, bad);
  }

  /** The layout in the key-value metadata of the folder's first Parquet file. */
  public static LatentSchema.Layout layout(Configuration hadoop, Path dir) throws IOException {
    List<Path> files = files(hadoop, dir);
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(files.get(0), hadoop))) {
      Map<String, String> kv = r.getFooter().getFileMetaData().getKeyValueMetaData();
      try {
        return LatentSchema.Layout.fromMetadata(kv);
      } catch (RuntimeException e) {
        throw new IOException(files.get(0) + " is not a latent cache file: " + e.getMessage(), e);
      }
    }
  }

  /** Width and height of the folder's first row (what the default model config is chosen by). */
  public static int[] firstImageSize(Configuration hadoop, Path dir) throws IOException {
    for (Path f : files(hadoop, dir)) {
      try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f).withConf(hadoop).build()) {
        Group g = r.read();
        if (g != null) {
          return new int[] {g.getInteger("width", 0), g.getInteger("height", 0)};
        }
      }
    }
    throw new IOException(dir + " holds no rows");
  }

  /** The {@code .parquet} files of {@code dir}, by name. */
  static List<Path> files(Configuration hadoop, Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(hadoop);
    FileStatus[] st = fs.listStatus(dir, p -> p.getName().endsWith(".parquet") && !p.getName().startsWith("_")
        && !p.getName().startsWith("."));
    if (st.length == 0) {
      throw new IOException(dir + " holds no .parquet files");
    }
    return Arrays.stream(st).map(FileStatus::getPath).sorted(Comparator.comparing(Path::getName)).toList();
  }

  private static List<Group> readAll(Configuration hadoop, Path dir) throws IOException {
    List<Group> rows = new ArrayList<>();
    for (Path f : files(hadoop, dir)) {
      try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f).withConf(hadoop).build()) {
        for (Group g = r.read(); g != null; g = r.read()) {
          rows.add(g);
        }
      }
    }
    return rows;
  }

  private interface Decoder {
    Example decode(Group g);
  }

  private static List<Example> decode(List<Group> rows, int threads, Decoder d) throws IOException {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      return pool.submit(() -> rows.parallelStream().map(d::decode).filter(e -> e != null).toList()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while decoding", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    } finally {
      pool.shutdown();
    }
  }

  private static Loaded split(List<Example> rows, List<long[]> shapes, ValidationSplit split, BadRows bad) {
    List<Example> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(Example::id));
    List<Example> train = new ArrayList<>();
    List<Example> val = new ArrayList<>();
    for (Example e : sorted) {
      (split.isValidation(e.id()) ? val : train).add(e);
    }
    return new Loaded(train, val, shapes, bad);
  }
}
