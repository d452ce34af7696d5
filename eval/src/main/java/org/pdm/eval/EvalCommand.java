package org.pdm.eval;

import org.pdm.eval.fid.FetchInceptionCommand;
import org.pdm.eval.fid.FidCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pdm eval <metric>}: the evaluation commands. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluation: pdm eval fid (FID, KID, precision/recall), pdm eval fetch-inception.",
    subcommands = {FidCommand.class, FetchInceptionCommand.class})
public final class EvalCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name an evaluation: pdm eval fid or pdm eval fetch-inception");
  }
}
