package org.pdm.ingest.write;

import java.io.IOException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/** Copies a raw-image file keeping only some ids: how a commit drops duplicates from a checkpoint. */
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
}
