package org.pdm.cli.pipeline;

import org.apache.hadoop.conf.Configuration;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.WorkLayout;
import picocli.CommandLine.Command;

/** {@code pdm status}: each stage's output: up to date, stale (and why), missing or running. No Spark. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show each stage's output in the work folder: up to date, stale (and why), missing, or running.")
public final class StatusCommand extends StageCommand {
  @Override
  protected int run(PdmConfig config) throws Exception {
    Configuration hadoop = new Configuration();
    PipelinePlan plan = PipelinePlan.of(hadoop, config, PipelineSteps.of(config), null, null, false);
    System.out.println("pdm status: work folder " + WorkLayout.of(config).root());
    for (PipelinePlan.Entry e : plan.entries()) {
      System.out.printf("  %-18s %-40s %s%n", e.step().name(), e.output(), e.state());
    }
    return 0;
  }
}
