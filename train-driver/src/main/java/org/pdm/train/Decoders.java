package org.pdm.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.WorkLayout;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.train.Checkpoint;

/**
 * The autoencoder that decodes the flow's sample grids: {@code --autoencoder} (a checkpoint, or a
 * folder holding one in checkpoint/), else the work folder's autoencoder/ when it holds one. EMA
 * weights once trained, as encode uses. A given one that is missing or does not fit the UNet's
 * levels is an error; the default is only used when it fits (else the grids are heat maps).
 */
final class Decoders {
  private Decoders() {}

  static PyramidAutoEncoder load(Configuration hadoop, String given, WorkLayout work, NDManager manager,
      UNetConfig unet, PrintStream err) throws IOException {
    String where = given.isEmpty() ? work.dir(WorkLayout.AUTOENCODER) : given;
    Path p = new Path(where);
    FileSystem fs = p.getFileSystem(hadoop);
    java.nio.file.Path dir = fs instanceof LocalFileSystem ? java.nio.file.Path.of(fs.makeQualified(p).toUri()) : null;
    java.nio.file.Path ckpt = dir == null ? null
        : Checkpoint.isCheckpoint(dir) ? dir
        : Checkpoint.isCheckpoint(dir.resolve(WorkLayout.AUTOENCODER.data())) ? dir.resolve(WorkLayout.AUTOENCODER.data())
        : null;
    if (ckpt == null) {
      if (!given.isEmpty()) {
        throw new StagePathException("--autoencoder " + given + " is not a local checkpoint folder nor a folder "
            + "holding one in checkpoint/");
      }
      err.println("train flow: no autoencoder at " + where + ": sample grids show latent heat maps");
      return null;
    }
    if (!(Checkpoint.config(ckpt) instanceof AutoEncoderConfig ae) || !fits(ae, unet)) {
      if (!given.isEmpty()) {
        throw new StagePathException("--autoencoder " + given + " does not make the UNet's latents");
      }
      err.println("train flow: the autoencoder at " + where + " does not make the UNet's latents: sample grids "
          + "show latent heat maps");
      return null;
    }
    boolean ema = Checkpoint.step(ckpt) > 0;
    return (PyramidAutoEncoder) Checkpoint.loadModel(ckpt, manager, manager.getDevice(), ema).model();
  }

  private static boolean fits(AutoEncoderConfig ae, UNetConfig unet) {
    if (ae.latents().size() != unet.levels().size()) {
      return false;
    }
    for (int i = 0; i < ae.latents().size(); i++) {
      LevelSpec a = ae.latents().get(i);
      LevelSpec u = unet.levels().get(i);
      if (a.channels() != u.channels() || a.height() != u.height() || a.width() != u.width()) {
        return false;
      }
    }
    return true;
  }
}
