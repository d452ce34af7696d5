package org.pdm.train;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pdm train autoencoder|flow}. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the pyramid autoencoder on preprocess's dataset (pdm train autoencoder) or the pyramid UNet "
        + "on encode's latent cache (pdm train flow).",
    subcommands = {TrainAutoencoderCommand.class, TrainFlowCommand.class})
public final class TrainCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name what to train: pdm train autoencoder or pdm train flow");
  }
}
