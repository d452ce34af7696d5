package org.pdm.eval.recon;

import org.pdm.core.stage.WorkLayout;

/**
 * Where an evaluation of the autoencoder on the dataset (recon, ablation) reads and writes: each ""
 * in the settings means the work folder's autoencoder/, preprocess/ and the evaluation's own folder.
 */
public interface AutoencoderEvalPaths {
  /** The checkpoint or its stage folder as configured; "" for the work folder's. */
  String autoencoder();

  /** Preprocess's output or its dataset/ as configured; "" for the work folder's. */
  String dataset();

  /** The output folder as configured; "" for {@code <work-dir>/<folder()>}. */
  String out();

  /** The evaluation's folder under the work folder. */
  String folder();

  default String autoencoder(WorkLayout work) {
    return autoencoder().isEmpty() ? work.dir(WorkLayout.AUTOENCODER) : autoencoder();
  }

  default String dataset(WorkLayout work) {
    return dataset().isEmpty() ? work.dir(WorkLayout.PREPROCESS) : dataset();
  }

  default String out(WorkLayout work) {
    return out().isEmpty() ? work.root() + "/" + folder() : out();
  }
}
