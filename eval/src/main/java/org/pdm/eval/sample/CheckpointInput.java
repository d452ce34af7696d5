package org.pdm.eval.sample;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.WorkLayout;

/**
 * A checkpoint given on the command line, resolved before Spark work as {@code pdm encode} does: a
 * stage folder (such as {@code pdm model init}'s, recognized by its manifest) stands for its
 * {@code checkpoint/}; the result must hold a {@code checkpoint.json}.
 */
public final class CheckpointInput {
  private CheckpointInput() {}

  /**
   * @param flag the flag that names it, for messages ({@code --flow})
   * @param folder the stage that writes such checkpoints (FLOW or AUTOENCODER)
   * @param stage the reading stage, for messages
   * @param initHint the model config {@code pdm model init} would take to make one (unet-tiny)
   */
  public static Path resolve(Configuration hadoop, String path, String flag, WorkLayout.Folder folder, String stage,
      String initHint) throws IOException {
    Path p = new Path(path);
    FileSystem fs = FileSystems.forPath(p, hadoop);
    p = fs.makeQualified(p);
    if (!fs.exists(p)) {
      throw new StagePathException(flag.substring(2) + " " + FileSystems.display(p) + " does not exist: give " + flag
          + " a checkpoint folder, or write one with pdm model init --config " + initHint);
    }
    Path ckpt = StageInputs.data(fs, p, folder, stage, "a " + flag.substring(2) + " checkpoint folder");
    if (!fs.exists(new Path(ckpt, "checkpoint.json"))) {
      throw new StagePathException(flag.substring(2) + " " + FileSystems.display(ckpt) + " is not a model checkpoint "
          + "(no checkpoint.json; it holds " + StageInputs.listing(fs, ckpt) + "): give " + flag + " a folder written "
          + "by pdm model init or a training stage");
    }
    return ckpt;
  }
}
