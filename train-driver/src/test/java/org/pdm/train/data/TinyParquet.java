package org.pdm.train.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.pdm.core.schema.LatentSchema;

/**
 * Parquet files written for tests with parquet-hadoop: dataset rows (the columns of core's
 * DatasetSchema that training reads) and latent rows with the cache's key-value metadata, in small
 * row groups ({@code rowGroupRows} rows each) so that a few dozen rows span many groups.
 */
final class TinyParquet {
  private TinyParquet() {}

  /** A dataset row; {@code image} or {@code id} may be null to make a bad row. */
  record ImageRow(String id, byte[] image, String format, int width, int height) {}

  /** A latent row: one byte array per level. */
  record LatentRow(String id, byte[][] levels) {}

  static final MessageType IMAGES = Types.buildMessage()
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id")
      .optional(PrimitiveTypeName.BINARY).named("image")
      .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("format")
      .required(PrimitiveTypeName.INT32).named("width")
      .required(PrimitiveTypeName.INT32).named("height")
      .required(PrimitiveTypeName.DOUBLE).named("sharpness")
      .named("spark_schema");

  /** Raw pixels (uint8 HWC RGB) that differ per id. */
  static byte[] rawPixels(String id, int w, int h) {
    byte[] out = new byte[w * h * 3];
    int s = id.hashCode();
    for (int i = 0; i < out.length; i++) {
      s = s * 1103515245 + 12345;
      out[i] = (byte) (s >>> 16);
    }
    return out;
  }

  static ImageRow raw(String id, int w, int h) {
    return new ImageRow(id, rawPixels(id, w, h), "raw", w, h);
  }

  static ImageRow png(String id, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    byte[] px = rawPixels(id, w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        img.setRGB(x, y, (px[o] & 0xff) << 16 | (px[o + 1] & 0xff) << 8 | (px[o + 2] & 0xff));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return new ImageRow(id, out.toByteArray(), "png", w, h);
  }

  static void images(Configuration conf, Path file, List<ImageRow> rows, int rowGroupRows) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(IMAGES);
    try (ParquetWriter<Group> w = writer(conf, file, IMAGES, Map.of(), rowGroupRows)) {
      for (ImageRow r : rows) {
        Group g = f.newGroup();
        if (r.id() != null) {
          g.add("id", r.id());
        }
        if (r.image() != null) {
          g.add("image", Binary.fromConstantByteArray(r.image()));
        }
        g.append("format", r.format()).append("width", r.width()).append("height", r.height())
            .append("sharpness", 1.0);
        w.write(g);
      }
    }
  }

  /** Two levels, (2, 4, 4) and (3, 2, 2), of {@code dtype}. */
  static LatentSchema.Layout layout(LatentSchema.Dtype dtype) {
    return new LatentSchema.Layout(List.of(new LatentSchema.Level(2, 4, 4), new LatentSchema.Level(3, 2, 2)), dtype,
        false, "/ckpt", "abc", 16, 16);
  }

  /** The values of row {@code n}'s level {@code l}: exact in float16. */
  static float[] latentValues(int n, int l, int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = n + l * 0.25f + i * 0.5f;
    }
    return v;
  }

  static LatentRow latent(LatentSchema.Layout layout, String id, int n) {
    byte[][] levels = new byte[layout.levels().size()][];
    for (int l = 0; l < levels.length; l++) {
      int size = layout.levels().get(l).size();
      levels[l] = layout.dtype().encode(latentValues(n, l, size), 0, size);
    }
    return new LatentRow(id, levels);
  }

  static void latents(Configuration conf, Path file, LatentSchema.Layout layout, List<LatentRow> rows,
      int rowGroupRows) throws IOException {
    Types.MessageTypeBuilder b = Types.buildMessage();
    b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id");
    for (int i = 0; i < layout.levels().size(); i++) {
      b.optional(PrimitiveTypeName.BINARY).named(LatentSchema.column(i));
    }
    MessageType schema = b.named("latents");
    SimpleGroupFactory f = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = writer(conf, file, schema, layout.metadata(), rowGroupRows)) {
      for (LatentRow r : rows) {
        Group g = f.newGroup().append("id", r.id());
        for (int i = 0; i < r.levels().length; i++) {
          if (r.levels()[i] != null) {
            g.add(LatentSchema.column(i), Binary.fromConstantByteArray(r.levels()[i]));
          }
        }
        w.write(g);
      }
    }
  }

  private static ParquetWriter<Group> writer(Configuration conf, Path file, MessageType schema,
      Map<String, String> metadata, int rowGroupRows) throws IOException {
    return ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf)).withConf(conf).withType(schema)
        .withExtraMetaData(metadata).withRowGroupRowCountLimit(rowGroupRows).withPageRowCountLimit(rowGroupRows)
        .build();
  }
}
