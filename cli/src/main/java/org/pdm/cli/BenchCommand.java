package org.pdm.cli;

import org.pdm.ingest.bench.IngestBenchCommand;
import picocli.CommandLine.Command;

/** {@code pdm bench}: a group of benchmarks, one subcommand per stage. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks of the stages on generated data, each against a plain baseline.",
    subcommands = {IngestBenchCommand.class})
public final class BenchCommand {
}
