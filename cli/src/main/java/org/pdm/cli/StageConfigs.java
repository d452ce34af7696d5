package org.pdm.cli;

import org.pdm.core.config.PdmConfig;
import org.pdm.core.synth.SynthConfig;
import org.pdm.ingest.source.FilterConfig;
import org.pdm.ingest.download.DownloadConfig;

/** Builds every stage's typed configuration, so that a range error anywhere is found up front. */
final class StageConfigs {
  private StageConfigs() {}

  static void checkAll(PdmConfig config) {
    SynthConfig.from(config);
    // The ingest section without its inputs (the demo and --in give those at run time).
    var ingest = config.settings("ingest");
    FilterConfig.from(ingest.section("filter"));
    DownloadConfig.from(config, ingest.section("download"));
  }
}
