package org.pdm.eval;

import org.pdm.eval.fid.FetchInceptionCommand;
import org.pdm.eval.fid.FidCommand;
import org.pdm.eval.recon.EvalAblationCommand;
import org.pdm.eval.recon.EvalReconCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pdm eval <metric>}: the evaluation commands. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluation: pdm eval fid (FID, KID, precision/recall), pdm eval fetch-inception, pdm eval recon "
        + "(PSNR, SSIM of the autoencoder), pdm eval ablation (the paper's Fig. 7).",
    subcommands = {FidCommand.class, FetchInceptionCommand.class, EvalReconCommand.class, EvalAblationCommand.class})
public final class EvalCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name an evaluation: pdm eval fid, fetch-inception, recon or ablation");
  }
}
