package org.pdm.cli;

import org.pdm.cli.pipeline.PipelineCommand;
import picocli.CommandLine.Command;

/**
 * {@code pdm demo}: the main job on the embedded default: {@code pdm pipeline} with the {@code demo}
 * preset (unless {@code --conf} names another), which generates sample data and runs the whole chain
 * at the tiny models' 32x32, then writes the report. A second run skips every stage.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole chain (synth, ingest, preprocess, train-autoencoder, encode, train-flow, sample, "
        + "eval) on generated sample data at 32x32, then write the report (preset 'demo' unless --conf is given; "
        + "the same flags and exit codes as pdm pipeline).")
public final class DemoCommand extends PipelineCommand {
  @Override
  protected String defaultPreset() {
    return "demo";
  }

  @Override
  protected String name() {
    return "demo";
  }
}
