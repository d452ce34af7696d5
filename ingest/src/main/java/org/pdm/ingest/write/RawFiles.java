package org.pdm.ingest.write;

import java.io.IOException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Raw-image files: copying one while keeping only some ids (how a commit drops duplicates from a
 * checkpoint), and the empty file that keeps {@code raw/} readable before any image is stored.
 */
public final class RawFiles {
  private RawFiles() {}

  /** @return rows written */
  public static long copyKeeping(Configuration conf, Path from, Path to, Set<String> keepIds) throws IOException {
    long n = 0;
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), from).withConf(conf).build();
         ParquetWriter<Group> writer = ChunkWriter.open(conf, to, ParquetSchemas.RAW)) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        if (keepIds.contains(g.getString("id", 0))) {
          writer.write(g);
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Writes a Parquet file with the raw schema and no rows, so that a reader of {@code raw/} sees an
   * empty dataset (rather than a missing folder or a schema it cannot infer) when every item of a run
   * was filtered or rejected.
   */
  public static void writeEmpty(Configuration conf, Path to) throws IOException {
    ChunkWriter.open(conf, to, ParquetSchemas.RAW).close();
  }
}
