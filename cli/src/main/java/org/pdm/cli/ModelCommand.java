package org.pdm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pdm model <action>}: model checkpoints outside training. */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Model checkpoints outside training: pdm model init.",
    subcommands = {ModelInitCommand.class})
public final class ModelCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name an action: pdm model init");
  }
}
