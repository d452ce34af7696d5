package org.pdm.ingest.write;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Writes rows into a sequence of Parquet files, each closed after a number of rows or bytes and
 * only then renamed from a hidden temporary name to {@code <prefix>-<n>.parquet}: a file with a
 * final name is always complete, so a crashed task leaves whole files (its checkpoints) and hidden
 * leftovers that the next run deletes.
 */
final class ChunkWriter implements AutoCloseable {
  private final FileSystem fs;
  private final Configuration conf;
  private final Path dir;
  private final String prefix;
  private final MessageType schema;
  private final int maxRows;
  private final long maxBytes;
  private ParquetWriter<Group> writer;
  private Path tmp;
  private int rows;
  private long bytes;
  private int seq;

  ChunkWriter(FileSystem fs, Configuration conf, Path dir, String prefix, MessageType schema, int maxRows, long maxBytes) {
    this.fs = fs;
    this.conf = conf;
    this.dir = dir;
    this.prefix = prefix;
    this.schema = schema;
    this.maxRows = maxRows;
    this.maxBytes = maxBytes;
  }

  static ParquetWriter<Group> open(Configuration conf, Path path, MessageType schema) throws IOException {
    return ExampleParquetWriter.builder(HadoopOutputFile.fromPath(path, conf)).withConf(conf).withType(schema)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).withCompressionCodec(CompressionCodecName.SNAPPY)
        // A row holds a whole image (MBs): Parquet's default first size check after 100 rows would
        // buffer hundreds of MB, flush far past the row group size and dump its store to the log.
        .withRowGroupSize(32L << 20).withPageSize(1 << 20).withMinRowCountForPageSizeCheck(1)
        .withMaxRowCountForPageSizeCheck(100).withDictionaryEncoding(true)
        .withDictionaryEncoding("image", false).withDictionaryEncoding("sha256", false).build();
  }

  void write(Group row, long size) throws IOException {
    if (writer == null) {
      tmp = new Path(dir, "." + prefix + "-" + UUID.randomUUID() + ".tmp");
      writer = open(conf, tmp, schema);
    }
    writer.write(row);
    rows++;
    bytes += size;
    if (rows >= maxRows || bytes >= maxBytes) {
      finish();
    }
  }

  private void finish() throws IOException {
    if (writer == null) {
      return;
    }
    writer.close();
    Path done = new Path(dir, String.format("%s-%05d.parquet", prefix, seq++));
    if (!fs.rename(tmp, done)) {
      throw new IOException("could not rename " + tmp + " to " + done);
    }
    writer = null;
    rows = 0;
    bytes = 0;
  }

  @Override
  public void close() throws IOException {
    finish();
  }

  /** Drops the open file (the task failed). */
  void abort() {
    try {
      if (writer != null) {
        writer.close();
      }
      if (tmp != null) {
        fs.delete(tmp, false);
      }
    } catch (IOException ignored) {
      // the next run deletes hidden leftovers
    }
    writer = null;
  }
}
