package org.pdm.train;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm train autoencoder}. */
@Command(name = "autoencoder", mixinStandardHelpOptions = true,
    description = "Train the pyramid autoencoder on preprocess's dataset: reconstruction (L1 or L2) + kl-weight x KL. "
        + "Writes OUT/checkpoint (what pdm encode reads), checkpoints/, metrics.jsonl, loss.png, samples/.")
public final class TrainAutoencoderCommand extends TrainStageCommand {
  @Option(names = {"--dataset", "--in"}, paramLabel = "DIR", description = "Preprocess's output folder or its dataset/ "
      + "(pdm.train.autoencoder.dataset; default <work-dir>/preprocess).")
  String dataset;

  @Override
  String objective() {
    return ObjectiveSettings.AUTOENCODER;
  }

  @Override
  void inputOverrides(List<String> o) {
    addIfSet(o, "train.autoencoder.dataset", dataset);
  }
}
