package org.pdm.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.schema.LatentSchema;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;

/**
 * Tiny inputs written as the stages write them, without Spark: a preprocess output of 32x32 raw
 * images (smooth gradients with a disc, learnable in a few steps) and latent caches of unet-tiny's
 * levels (8x8x4 + 4x4x8), each committed with its stage's manifest so that the work folder chains.
 */
final class TrainFixtures {
  static final MessageType DATASET = MessageTypeParser.parseMessageType("message dataset { required binary id (STRING); "
      + "required binary image; required binary format (STRING); required int32 width; required int32 height; }");
  static final List<LatentSchema.Level> LEVELS = List.of(new LatentSchema.Level(4, 8, 8),
      new LatentSchema.Level(8, 4, 4));

  private TrainFixtures() {}

  /** {@code <work>/preprocess} with {@code n} images of 32x32 in dataset/. */
  static void preprocess(Path work, int n, long seed) throws Exception {
    StageOutput.at(new Configuration(), work.resolve(WorkLayout.PREPROCESS.stage()).toString())
        .run(new StageSpec(WorkLayout.PREPROCESS.stage(), "{\"fixture\": \"train\"}", List.of()), false,
            ctx -> images(local(ctx.path(WorkLayout.PREPROCESS.data())).resolve("part-0.parquet"), n, seed, 32));
  }

  private static Path local(String hadoopPath) {
    return Path.of(new org.apache.hadoop.fs.Path(hadoopPath).toUri());
  }

  /** One Parquet file of {@code n} raw {@code size x size} images. */
  static void images(Path file, int n, long seed, int size) throws IOException {
    Random r = new Random(seed);
    SimpleGroupFactory f = new SimpleGroupFactory(DATASET);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withType(DATASET).withConf(new Configuration()).build()) {
      for (int i = 0; i < n; i++) {
        byte[] px = new byte[size * size * 3];
        double cx = size * (0.25 + 0.5 * r.nextDouble());
        double cy = size * (0.25 + 0.5 * r.nextDouble());
        double rad = size * (0.1 + 0.2 * r.nextDouble());
        int[] a = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        int[] b = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        int[] disc = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            boolean in = (x - cx) * (x - cx) + (y - cy) * (y - cy) < rad * rad;
            for (int c = 0; c < 3; c++) {
              double g = (double) (x + y) / (2 * size);
              px[(y * size + x) * 3 + c] = (byte) (in ? disc[c] : (int) (a[c] * (1 - g) + b[c] * g));
            }
          }
        }
        w.write(f.newGroup().append("id", String.format("img-%04d", i)).append("image", Binary.fromConstantByteArray(px))
            .append("format", DatasetSchema.RAW).append("width", size).append("height", size));
      }
    }
  }

  /** {@code <work>/latents} (encode's stage) with the given rows (one float array per level) in latents/. */
  static void latents(Path stageDir, List<String> ids, List<float[][]> rows) throws Exception {
    StageOutput.at(new Configuration(), stageDir.toString())
        .run(new StageSpec(WorkLayout.LATENTS.stage(), "{\"fixture\": \"train\"}", List.of()), false,
            ctx -> latentFile(local(ctx.path(WorkLayout.LATENTS.data())).resolve("part-0.parquet"), ids, rows));
  }

  /** {@code n} structured random latents: per row a random amplitude times a fixed pattern plus noise. */
  static void latents(Path stageDir, int n, long seed) throws Exception {
    Random r = new Random(seed);
    List<String> ids = new java.util.ArrayList<>();
    List<float[][]> rows = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[][] z = new float[LEVELS.size()][];
      double amp = 0.5 + r.nextDouble();
      for (int l = 0; l < z.length; l++) {
        z[l] = new float[LEVELS.get(l).size()];
        for (int k = 0; k < z[l].length; k++) {
          z[l][k] = (float) (amp * Math.sin(0.3 * k + l) + 0.1 * r.nextGaussian());
        }
      }
      ids.add(String.format("lat-%04d", i));
      rows.add(z);
    }
    latents(stageDir, ids, rows);
  }

  static void latentFile(Path file, List<String> ids, List<float[][]> rows) throws IOException {
    LatentSchema.Layout layout = new LatentSchema.Layout(LEVELS, LatentSchema.Dtype.FLOAT32, false, "fixture",
        "none", 32, 32);
    MessageType type = MessageTypeParser.parseMessageType("message latents { required binary id (STRING); "
        + "required binary z0; required binary z1; }");
    SimpleGroupFactory f = new SimpleGroupFactory(type);
    Map<String, String> meta = layout.metadata();
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withType(type).withExtraMetaData(meta).withConf(new Configuration()).build()) {
      for (int i = 0; i < ids.size(); i++) {
        float[][] z = rows.get(i);
        w.write(f.newGroup().append("id", ids.get(i))
            .append("z0", Binary.fromConstantByteArray(LatentSchema.Dtype.FLOAT32.encode(z[0], 0, z[0].length)))
            .append("z1", Binary.fromConstantByteArray(LatentSchema.Dtype.FLOAT32.encode(z[1], 0, z[1].length))));
      }
    }
  }
}
