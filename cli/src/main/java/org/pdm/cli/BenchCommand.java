package org.pdm.cli;

import org.pdm.preprocess.PreprocessBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pdm bench <stage>}: each stage's benchmark, as a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: run one with `pdm bench <stage>`.",
    subcommands = {PreprocessBenchCommand.class, ModelBenchCommand.class})
public final class BenchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark, for example: pdm bench preprocess");
  }
}
