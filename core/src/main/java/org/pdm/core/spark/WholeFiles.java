package org.pdm.core.spark;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The file system to read a user's image file from, whatever its name. */
public final class WholeFiles {
  private WholeFiles() {}

  /**
   * The path's file system, or for the local one (a checksum file system) the raw one beneath: photo
   * folders have no {@code .crc} files to check, and the checksum layer builds a {@code .<name>.crc}
   * path that Hadoop cannot parse when the name holds a colon ("Photo 1: sunset.jpg").
   */
  public static FileSystem of(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }
}
