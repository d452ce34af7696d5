package org.pdm.cli;

import org.pdm.eval.fid.bench.EvalBenchCommand;
import org.pdm.ingest.bench.IngestBenchCommand;
import org.pdm.latentcache.EncodeBenchCommand;
import org.pdm.preprocess.PreprocessBenchCommand;
import org.pdm.train.bench.TrainBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pdm bench <stage>}: each stage's benchmark on generated data, each against a plain baseline. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks of the stages on generated data, each against a plain baseline: "
        + "pdm bench ingest|preprocess|model|encode|train|eval.",
    subcommands = {IngestBenchCommand.class, PreprocessBenchCommand.class, ModelBenchCommand.class,
        EncodeBenchCommand.class, TrainBenchCommand.class, EvalBenchCommand.class})
public final class BenchCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a benchmark: pdm bench ingest, pdm bench preprocess, pdm bench model, pdm bench encode, pdm bench train or pdm bench eval");
  }
}
