package org.pdm.preprocess;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
import org.pdm.core.schema.RawImageSchema;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.StageManifest;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.WorkLayout;

/**
 * Preprocess's input, resolved before any Spark work: what to read and how. Ingest's output folder
 * stands for its {@code raw/}; a folder of Parquet files is raw images when they have the raw
 * columns; any other folder is read as image files. A folder that is neither (Parquet only in
 * subfolders, no image files, another stage's output) is refused naming what it holds, so that no
 * JSON, {@code _SUCCESS} or checkpoint is ever read as data.
 *
 * @param path the folder, file or glob to read
 * @param raw true for raw-image Parquet, false for image files
 */
record PreprocessInput(String path, boolean raw) {
  static final String EXPECTS = "ingest's output folder, a Parquet folder of raw images (id, image) or a folder of "
      + "image files";
  /** Files that are never images, so a folder holding only these is a mistake. */
  private static final Set<String> NOT_IMAGES = Set.of("json", "csv", "tsv", "txt", "md", "parquet", "crc", "gz");

  static PreprocessInput resolve(Configuration hadoop, String in, String format) throws IOException {
    Path given = new Path(in);
    FileSystem fs = FileSystems.forPath(given, hadoop);
    if (in.matches(".*[*?\\[{].*")) {
      return glob(fs, in, format);
    }
    Path qualified = fs.makeQualified(given);
    Path data = StageInputs.data(fs, qualified, WorkLayout.INGEST, "preprocess", EXPECTS);
    boolean fromIngest = !data.equals(qualified);
    String path = fromIngest ? new Path(given, WorkLayout.INGEST.data()).toString() : in;
    if (!fs.getFileStatus(data).isDirectory()) {
      return new PreprocessInput(path, format.equals("raw") || (format.equals("auto") && in.endsWith(".parquet")));
    }
    List<Path> parquet = parquetFiles(fs, data);
    if (fromIngest || format.equals("raw") || (format.equals("auto") && !parquet.isEmpty())) {
      checkRaw(fs, data, parquet);
      return new PreprocessInput(path, true);
    }
    if (format.equals("auto")) {
      checkImages(fs, data);
    }
    return new PreprocessInput(path, false);
  }

  private static PreprocessInput glob(FileSystem fs, String in, String format) throws IOException {
    FileStatus[] found = fs.globStatus(new Path(in));
    if (found == null || found.length == 0) {
      throw new StagePathException("input " + in + " matches nothing: preprocess reads " + EXPECTS);
    }
    FileStatus[] inside = fs.globStatus(new Path(in, "*.parquet"));
    boolean raw = format.equals("raw") || (format.equals("auto")
        && (in.endsWith(".parquet") || (inside != null && inside.length > 0)));
    return new PreprocessInput(in, raw);
  }

  /** Parquet files right in {@code dir} or in its {@code key=value} partition folders, as Spark reads them. */
  private static List<Path> parquetFiles(FileSystem fs, Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isFile() && name.endsWith(".parquet") && !hidden(name)) {
        files.add(s.getPath());
      } else if (s.isDirectory() && name.contains("=") && !hidden(name)) {
        files.addAll(parquetFiles(fs, s.getPath()));
      }
    }
    return files;
  }

  /** The Parquet files have the raw columns (a footer read, no Spark job). */
  private static void checkRaw(FileSystem fs, Path dir, List<Path> parquet) throws IOException {
    String shown = "input " + FileSystems.display(dir);
    if (parquet.isEmpty()) {
      throw new StagePathException(shown + " holds no Parquet files (found: " + StageInputs.listing(fs, dir)
          + "): preprocess reads " + EXPECTS);
    }
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(parquet.get(0), fs.getConf()))) {
      var schema = reader.getFileMetaData().getSchema();
      if (!schema.containsField(RawImageSchema.ID) || !schema.containsField(RawImageSchema.IMAGE)) {
        throw new StagePathException(shown + " holds Parquet without the raw columns id and image (it has: "
            + String.join(", ", schema.getFields().stream().map(Type::getName).limit(6).toList())
            + "): preprocess reads " + EXPECTS);
      }
    }
  }

  /**
   * A folder read as images holds at least one file that may be an image, and no stage output or
   * Parquet data one level down (such as the work folder, or an ingest output without its manifest):
   * those are mistakes, not photos, and their files would all become rejects.
   */
  private static void checkImages(FileSystem fs, Path dir) throws IOException {
    String shown = "input " + FileSystems.display(dir);
    List<Path> outputs = below(fs, dir, StageManifest.FILE);
    if (!outputs.isEmpty()) {
      throw new StagePathException(shown + " holds stage outputs (" + String.join(", ", outputs.stream()
          .map(p -> p.getName() + "/").limit(4).toList()) + "), not images: give the one to read, such as "
          + FileSystems.display(outputs.get(0)));
    }
    List<Path> parquet = below(fs, dir, "*.parquet");
    if (!parquet.isEmpty()) {
      throw new StagePathException(shown + " holds Parquet only in a sub-folder (" + FileSystems.display(parquet.get(0))
          + ") and no stage manifest: give that data folder itself; preprocess reads " + EXPECTS);
    }
    var files = fs.listFiles(dir, true);
    String root = fs.makeQualified(dir).toString();
    while (files.hasNext()) {
      LocatedFileStatus f = files.next();
      String rel = f.getPath().toString().substring(root.length());
      String name = f.getPath().getName();
      String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase() : "";
      // Spark skips hidden and _ paths too.
      if (!NOT_IMAGES.contains(ext) && java.util.Arrays.stream(rel.split("/")).noneMatch(PreprocessInput::hidden)) {
        return;
      }
    }
    throw new StagePathException(shown + " holds no image files (found: " + StageInputs.listing(fs, dir)
        + "): preprocess reads " + EXPECTS);
  }

  /** Visible sub-folders of {@code dir} holding a file that matches {@code glob}, sorted. */
  private static List<Path> below(FileSystem fs, Path dir, String glob) throws IOException {
    // Listed rather than globbed: Hadoop's globber turns every listed name into a URI, and a photo
    // named "Photo 1: sunset.jpg" one level down made it throw (URISyntaxException).
    org.apache.hadoop.fs.GlobPattern pattern = new org.apache.hadoop.fs.GlobPattern(glob);
    List<Path> folders = new ArrayList<>();
    for (FileStatus sub : fs.listStatus(dir)) {
      if (!sub.isDirectory() || hidden(sub.getPath().getName())) {
        continue;
      }
      var files = fs.listFiles(sub.getPath(), false);
      while (files.hasNext()) {
        if (pattern.matches(files.next().getPath().getName())) {
          folders.add(sub.getPath());
          break;
        }
      }
    }
    folders.sort(null);
    return folders;
  }

  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }
}
