package org.pdm.core.stage;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a stage was given to read ({@code --in}), checked before any Spark work: the previous stage's
 * output folder, recognized by its manifest, stands for its data folder ({@link WorkLayout.Folder#data});
 * another stage's output and a missing path are refused with a {@link StagePathException}.
 */
public final class StageInputs {
  private StageInputs() {}

  /**
   * The folder or file to read for {@code in}: upstream's data folder when {@code in} holds upstream's
   * manifest, else {@code in} itself (the data folder, or whatever the stage reads besides).
   *
   * @param expected what the stage reads, for messages, such as "ingest's output folder or ..."
   */
  public static Path data(FileSystem fs, Path in, WorkLayout.Folder upstream, String stage, String expected)
      throws IOException {
    String shown = "input " + FileSystems.display(in);
    if (!fs.exists(in)) {
      throw new StagePathException(shown + " does not exist: run pdm " + upstream.stage() + " first, or give "
          + stage + " " + expected);
    }
    if (!fs.getFileStatus(in).isDirectory()) {
      return in;
    }
    String owner = OutputGuard.ownerStage(fs, in);
    if (owner == null) {
      return in;
    }
    if (!owner.equals(upstream.stage())) {
      throw new StagePathException(shown + " holds the output of " + owner + ": " + stage + " reads " + expected);
    }
    Path data = new Path(in, upstream.data());
    if (!fs.exists(data)) {
      throw new StagePathException(shown + " holds an unfinished " + owner + " output (no " + upstream.data()
          + "/ in it yet): run pdm " + owner + " again to finish it");
    }
    return data;
  }

  /** The stage whose output {@code dir} is (by its manifest), or null for a folder that is none. */
  public static String stageOf(FileSystem fs, Path dir) throws IOException {
    return fs.getFileStatus(dir).isDirectory() ? OutputGuard.ownerStage(fs, dir) : null;
  }

  /** What a folder holds, in a few names, for messages. */
  public static String listing(FileSystem fs, Path dir) throws IOException {
    var entries = fs.listStatus(dir);
    return entries.length == 0 ? "nothing" : OutputGuard.names(entries);
  }
}
