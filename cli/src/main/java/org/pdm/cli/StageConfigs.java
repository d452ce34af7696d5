package org.pdm.cli;

import org.pdm.core.config.PdmConfig;
import org.pdm.core.synth.SynthConfig;
import org.pdm.ingest.IngestConfig;
import org.pdm.latentcache.EncodeConfig;
import org.pdm.preprocess.PreprocessConfig;

/** Builds every stage's typed configuration, so that a range error anywhere is found up front. */
public final class StageConfigs {
  private StageConfigs() {}

  public static void checkAll(PdmConfig config) {
    SynthConfig.from(config);
    PreprocessConfig.from(config);
    EncodeConfig.from(config);
    // The ingest section without its inputs (the demo and --in give those at run time).
    IngestConfig.checkAllButInputs(config);
  }
}
