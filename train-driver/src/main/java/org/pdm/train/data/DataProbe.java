package org.pdm.train.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.pdm.core.schema.LatentSchema;

/**
 * What the driver must know of its data before it opens the stream: the dataset's image size (the
 * default autoencoder config is the shipped one of that size) and the latent cache's layout (the
 * default UNet is the one of its levels). Reads one footer or one row.
 */
public final class DataProbe {
  private DataProbe() {}
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
  private static List<Path> files(Configuration hadoop, Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(hadoop);
    FileStatus[] st = fs.listStatus(dir, p -> p.getName().endsWith(".parquet") && !p.getName().startsWith("_")
        && !p.getName().startsWith("."));
    if (st.length == 0) {
      throw new IOException(dir + " holds no .parquet files");
    }
    return Arrays.stream(st).map(FileStatus::getPath).sorted(Comparator.comparing(Path::getName)).toList();
  }

}
