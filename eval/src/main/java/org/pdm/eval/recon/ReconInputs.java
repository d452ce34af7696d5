package org.pdm.eval.recon;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.WorkLayout;
import org.pdm.eval.sample.CheckpointInput;
import org.pdm.eval.sample.ModelSource;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfig;

/**
 * What {@code pdm eval recon} and {@code pdm eval ablation} read, resolved and checked before Spark
 * work: the dataset (preprocess's output folder stands for its dataset/) and the autoencoder (a stage
 * folder stands for its checkpoint/), hashed, with its config and which weights.
 */
record ReconInputs(Path dataset, ModelSource autoencoder, AutoEncoderConfig config) {
  static ReconInputs resolve(Configuration hadoop, String dataset, String autoencoder, String ema, String stage)
      throws IOException {
    Path d = new Path(dataset);
    d = FileSystems.forPath(d, hadoop).makeQualified(d);
    Path data = StageInputs.data(FileSystems.forPath(d, hadoop), d, WorkLayout.PREPROCESS, stage,
        "preprocess's output folder or its dataset/ folder");
    Path ckpt = CheckpointInput.resolve(hadoop, autoencoder, "--autoencoder", WorkLayout.AUTOENCODER, stage,
        "autoencoder-tiny");
    ModelSource probe = ModelSource.of(hadoop, ckpt.toString(), false);
    ModelConfig model = probe.config();
    if (!(model instanceof AutoEncoderConfig ae)) {
      throw new StagePathException("--autoencoder " + ckpt + " holds a " + model.getClass().getSimpleName()
          + " checkpoint: " + stage + " needs an autoencoder's");
    }
    boolean useEma = ema.equals("auto") ? probe.step() > 0 : Boolean.parseBoolean(ema);
    return new ReconInputs(data, new ModelSource(probe.checkpoint(), probe.hash(), useEma, probe.hadoop()), ae);
  }
}
