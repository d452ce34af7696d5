package org.pdm.train.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
import org.pdm.model.config.LevelSpec;

/**
 * Generated inputs for {@code pdm bench train}, written as the stages write them: dataset rows of raw
 * pixels (preprocess's default format) and latent rows in float16 (encode's default dtype) with the
 * cache's key-value metadata. Only the columns the training reader uses.
 */
final class BenchData {
  private BenchData() {}

  /** {@code n} raw {@code width x height} RGB rows (smooth noise, ZSTD as preprocess writes). */
  static void images(Path file, int n, int width, int height) throws IOException {
    MessageType type = MessageTypeParser.parseMessageType("message dataset { required binary id (STRING); "
        + "required binary image; required binary format (STRING); required int32 width; required int32 height; }");
    Random r = new Random(1);
    SimpleGroupFactory f = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withType(type).withConf(new Configuration())
        .withCompressionCodec(org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD).build()) {
      for (int i = 0; i < n; i++) {
        byte[] px = new byte[width * height * 3];
        int base = r.nextInt(200);
        for (int k = 0; k < px.length; k++) {
          px[k] = (byte) (base + (k / 3 % width) * 55 / width + r.nextInt(4));
        }
        w.write(f.newGroup().append("id", "bench-" + i).append("image", Binary.fromConstantByteArray(px))
            .append("format", DatasetSchema.RAW).append("width", width).append("height", height));
      }
    }
  }

  /** {@code n} float16 latent rows of {@code levels}. */
  static void latents(Path file, int n, List<LevelSpec> levels) throws IOException {
    StringBuilder schema = new StringBuilder("message latents { required binary id (STRING); ");
    List<LatentSchema.Level> ls = levels.stream().map(l -> new LatentSchema.Level(l.channels(), l.height(),
        l.width())).toList();
    for (int i = 0; i < ls.size(); i++) {
      schema.append("required binary ").append(LatentSchema.column(i)).append("; ");
    }
    MessageType type = MessageTypeParser.parseMessageType(schema.append("}").toString());
    LatentSchema.Layout layout = new LatentSchema.Layout(ls, LatentSchema.Dtype.FLOAT16, false, "bench", "none", 0, 0);
    Random r = new Random(2);
    SimpleGroupFactory f = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withType(type).withExtraMetaData(layout.metadata()).withConf(new Configuration()).build()) {
      for (int i = 0; i < n; i++) {
        Group g = f.newGroup().append("id", "bench-" + i);
        for (int l = 0; l < ls.size(); l++) {
          float[] z = new float[ls.get(l).size()];
          for (int k = 0; k < z.length; k++) {
            z[k] = (float) r.nextGaussian();
          }
          g.append(LatentSchema.column(l), Binary.fromConstantByteArray(LatentSchema.Dtype.FLOAT16.encode(z, 0,
              z.length)));
        }
        w.write(g);
      }
    }
  }
}
