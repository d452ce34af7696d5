package org.pdm.latentcache;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.WorkLayout;

/**
 * What {@code pdm encode} reads, resolved and checked before Spark work: the dataset (preprocess's
 * output folder stands for its dataset/) and the checkpoint (an autoencoder stage folder, such as
 * {@code pdm model init}'s, stands for its checkpoint/).
 */
record EncodeInputs(Path dataset, Path checkpoint) {
  static EncodeInputs resolve(Configuration hadoop, String dataset, String autoencoder) throws IOException {
    Path d = qualified(hadoop, dataset);
    Path data = StageInputs.data(FileSystems.forPath(d, hadoop), d, WorkLayout.PREPROCESS, "encode",
        "preprocess's output folder or its dataset/ folder");
    Path a = qualified(hadoop, autoencoder);
    FileSystem fs = FileSystems.forPath(a, hadoop);
    if (!fs.exists(a)) {
      throw new StagePathException("autoencoder " + FileSystems.display(a) + " does not exist: give --autoencoder "
          + "a checkpoint folder, or write one with pdm model init --config autoencoder-tiny");
    }
    Path ckpt = StageInputs.data(fs, a, WorkLayout.AUTOENCODER, "encode", "an autoencoder checkpoint folder");
    if (!fs.exists(new Path(ckpt, "checkpoint.json"))) {
      throw new StagePathException("autoencoder " + FileSystems.display(ckpt) + " is not a model checkpoint (no "
          + "checkpoint.json; it holds " + StageInputs.listing(fs, ckpt) + "): give a folder written by pdm model init "
          + "or a training stage");
    }
    return new EncodeInputs(data, ckpt);
  }

  private static Path qualified(Configuration hadoop, String path) throws IOException {
    Path p = new Path(path);
    return FileSystems.forPath(p, hadoop).makeQualified(p);
  }
}
