package org.pdm.train;

import java.util.ArrayList;
import java.util.List;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.StageSummary;
import org.pdm.core.stage.StageResult;
import org.pdm.train.loop.StoppedException;
import picocli.CommandLine.Option;

/** The flags both {@code pdm train} subcommands share, and the run. */
abstract class TrainStageCommand extends StageCommand {
  @Option(names = "--config", paramLabel = "NAME|FILE", description = "A model config file or a name in conf/model "
      + "(pdm.train.<objective>.config; default: the shipped config that fits the data).")
  String modelConfig;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder, local (pdm.train.<objective>.out).")
  String out;

  @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps to reach (pdm.train.steps).")
  Long steps;

  @Option(names = "--resume", description = "Continue the run in the output folder from its newest checkpoint, with "
      + "the next unseen batch (the same settings; only the step target may change).")
  boolean resume;

  abstract String objective();

  /** The subcommand's own input flags as overrides. */
  abstract void inputOverrides(List<String> o);

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    String section = "train." + objective() + ".";
    addIfSet(o, section + "config", modelConfig);
    addIfSet(o, section + "out", out);
    addIfSet(o, "train.steps", steps);
    inputOverrides(o);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    StageResult result;
    try {
      result = TrainRun.run(config, objective(), resume, force, System.err);
    } catch (StoppedException e) {
      return 1; // the loop said so while the JVM still waited for it

    }
    StageSummary.print(System.out, result);
    System.out.println("  checkpoint:               " + result.output() + "/checkpoint");
    return 0;
  }
}
