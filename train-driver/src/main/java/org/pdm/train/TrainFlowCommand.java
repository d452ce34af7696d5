package org.pdm.train;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm train flow}. */
@Command(name = "flow", mixinStandardHelpOptions = true,
    description = "Train the pyramid UNet on encode's latent cache: rectified flow, the pyramid loss (eq. 7). "
        + "Writes OUT/checkpoint, checkpoints/, metrics.jsonl, loss.png, samples/.")
public final class TrainFlowCommand extends TrainStageCommand {
  @Option(names = {"--latents", "--in"}, paramLabel = "DIR", description = "Encode's output folder or its latents/ "
      + "(pdm.train.flow.latents; default <work-dir>/latents).")
  String latents;

  @Option(names = "--autoencoder", paramLabel = "CKPT", description = "The autoencoder that decodes the sample grids "
      + "(pdm.train.flow.autoencoder; default <work-dir>/autoencoder when it holds one, else heat maps).")
  String autoencoder;

  @Override
  String objective() {
    return ObjectiveSettings.FLOW;
  }

  @Override
  void inputOverrides(List<String> o) {
    addIfSet(o, "train.flow.latents", latents);
    addIfSet(o, "train.flow.autoencoder", autoencoder);
  }
}
