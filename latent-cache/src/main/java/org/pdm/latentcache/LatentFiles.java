package org.pdm.latentcache;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.pdm.core.schema.LatentSchema;

/**
 * Writes one task's latent rows (or rejects) into one Parquet file with the cache's key-value
 * metadata. The file is written under a hidden name and renamed when closed, so a file with a final
 * name is whole; Spark's writers cannot set key-value metadata, hence parquet-hadoop directly.
 */
final class LatentFiles implements AutoCloseable {
  private final Configuration conf;
  private final Path dir;
  private final String name;
  private final MessageType schema;
  private final Map<String, String> metadata;
  private final SimpleGroupFactory rows;
  private ParquetWriter<Group> writer;
  private Path tmp;
  private long count;

  private LatentFiles(Configuration conf, Path dir, String name, MessageType schema, Map<String, String> metadata) {
    this.conf = conf;
    this.dir = dir;
    this.name = name;
    this.schema = schema;
    this.metadata = metadata;
    this.rows = new SimpleGroupFactory(schema);
  }

  /** A writer of latent rows ({@link LatentSchema}) named {@code name} in {@code dir}. */
  static LatentFiles latents(Configuration conf, Path dir, String name, LatentSchema.Layout layout) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id");
    for (int i = 0; i < layout.levels().size(); i++) {
      b.required(PrimitiveTypeName.BINARY).named(LatentSchema.column(i));
      if (layout.logvar()) {
        b.required(PrimitiveTypeName.BINARY).named(LatentSchema.logvarColumn(i));
      }
    }
    return new LatentFiles(conf, dir, name, b.named("latents"), layout.metadata());
  }

  /** A writer of rejects (id, reason, details: preprocess's reject columns). */
  static LatentFiles rejects(Configuration conf, Path dir, String name) {
    MessageType schema = Types.buildMessage()
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("id")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("reason")
        .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("details")
        .named("rejects");
    return new LatentFiles(conf, dir, name, schema, Map.of());
  }

  /** Appends a row: {@code values} in column order, strings or byte arrays. */
  void write(Object... values) throws IOException {
    if (writer == null) {
      tmp = new Path(dir, "." + name + ".tmp");
      writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, conf)).withConf(conf).withType(schema)
          .withExtraMetaData(metadata).withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .withCompressionCodec(CompressionCodecName.SNAPPY).withDictionaryEncoding(false)
          .withRowGroupSize(64L << 20).build();
    }
    Group g = rows.newGroup();
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof String s) {
        g.add(i, s);
      } else {
        g.add(i, Binary.fromConstantByteArray((byte[]) values[i]));
      }
    }
    writer.write(g);
    count++;
  }

  long count() {
    return count;
  }

  /** Closes and renames the file into place; returns its name, or null when no row was written. */
  String finish() throws IOException {
    if (writer == null) {
      return null;
    }
    writer.close();
    writer = null;
    FileSystem fs = dir.getFileSystem(conf);
    Path done = new Path(dir, name);
    if (!fs.rename(tmp, done)) {
      throw new IOException("could not rename " + tmp + " to " + done);
    }
    return name;
  }

  /** Drops an unfinished file (the task failed). */
  @Override
  public void close() {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
      tmp.getFileSystem(conf).delete(tmp, false);
    } catch (IOException ignored) {
      // the staging folder is deleted with the run
    }
    writer = null;
  }
}
