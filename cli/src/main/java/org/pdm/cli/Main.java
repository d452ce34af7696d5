package org.pdm.cli;

import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.ConfigError;
import org.pdm.core.stage.StageConflictException;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.synth.SynthCommand;
import org.pdm.eval.EvalCommand;
import org.pdm.eval.sample.SampleCommand;
import org.pdm.ingest.IngestCommand;
import org.pdm.cli.notebook.NotebookCommand;
import org.pdm.latentcache.EncodeCommand;
import org.pdm.preprocess.PreprocessCommand;
import org.pdm.train.TrainCommand;
import org.pdm.train.data.BadRows;
import org.pdm.train.loop.NonFiniteLossException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pdm} command. The same main runs embedded ({@code bin/pdm}) and under spark-submit.
 * Exit codes: 0 done (or skipped as up to date), 1 failed, 2 bad configuration, arguments or paths,
 * 3 another run is writing the same output.
 */
@Command(name = "pdm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Pyramid Diffusion on Spark: from photo URLs to a trained 2K model and its FID.",
    subcommands = {SynthCommand.class, IngestCommand.class, PreprocessCommand.class, EncodeCommand.class,
        TrainCommand.class, SampleCommand.class, EvalCommand.class, NotebookCommand.class,
        ModelCommand.class, BenchCommand.class,
        DemoCommand.class, org.pdm.cli.pipeline.PipelineCommand.class,
        org.pdm.cli.pipeline.StatusCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code; stops the Spark session it may have started. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof ConfigError) {
        line.getErr().println("pdm: configuration error: " + e.getMessage());
        return 2;
      }
      if (e instanceof StagePathException) {
        line.getErr().println("pdm " + line.getCommandName() + ": " + e.getMessage());
        return 2;
      }
      if (e instanceof NonFiniteLossException || e instanceof BadRows.TooManyBadRowsException) {
        // The message names the step, the rows and the last good checkpoint: a trace adds nothing.
        line.getErr().println("pdm " + line.getCommandName() + ": stopped: " + e.getMessage());
        return 1;
      }
      if (e instanceof StageConflictException) {
        line.getErr().println("pdm: " + e.getMessage());
        return 3;
      }
      // Anything else is a failure the user did not cause: the cause in one line, then the trace
      // for a bug report. Outputs are committed atomically, so the last good output is intact.
      line.getErr().println("pdm " + line.getCommandName() + ": failed: " + e);
      e.printStackTrace(line.getErr());
      line.getErr().println("pdm " + line.getCommandName() + ": earlier outputs are intact; a rerun resumes.");
      return 1;
    });
    try {
      return cli.execute(args);
    } finally {
      SparkSession.getDefaultSession().foreach(s -> {
        s.stop();
        return null;
      });
    }
  }
}
