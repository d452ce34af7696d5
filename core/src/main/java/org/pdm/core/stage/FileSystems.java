package org.pdm.core.stage;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** File systems for our writers: on local disks, without Hadoop's {@code .crc} side files. */
public final class FileSystems {
  private FileSystems() {}

  public static FileSystem forPath(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    fs.setWriteChecksum(false);
    return fs;
  }

  /** A path for messages: plain for local files, the full URI otherwise. */
  public static String display(Path path) {
    String s = path.toString();
    return s.startsWith("file:") ? path.toUri().getPath() : s;
  }
}
