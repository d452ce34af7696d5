package org.pdm.cli.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.pdm.cli.StageConfigs;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.StageSummary;
import org.pdm.core.spark.SparkSessions;
import org.pdm.core.stage.OutputLock;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.WorkLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdm pipeline}: the chain in order, each stage reading the previous one's output through the
 * work folder. Up-to-date stages are skipped by their own manifests, so a scheduler can run it as
 * often as it likes; one lock per work folder keeps two runs apart (exit 3); a failed stage leaves
 * earlier outputs intact and the next run resumes there.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "Run the chain (synth when no ingest inputs are set, ingest, preprocess, train-autoencoder, "
        + "encode, train-flow, sample, eval-recon, eval-ablation, eval-fid) in order, skipping stages whose output is up to date. Exit codes: 0 done or up to date, 1 a stage failed, 2 bad "
        + "configuration or path, 3 another pipeline holds the work folder.")
public class PipelineCommand extends StageCommand {
  @Option(names = "--from", paramLabel = "STAGE", description = "First stage to consider (earlier ones are left as they are).")
  String from;

  @Option(names = "--to", paramLabel = "STAGE", description = "Last stage to consider.")
  String to;

  @Option(names = "--dry-run", description = "Print the plan (each stage: run or skip, and why) and stop.")
  boolean dryRun;

  /** The command's name in its messages (the demo runs the same chain). */
  protected String name() {
    return "pipeline";
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    StageConfigs.checkAll(config);
    Configuration hadoop = new Configuration();
    String work = WorkLayout.of(config).root();
    List<PipelineStep> steps = PipelineSteps.of(config);
    PipelinePlan plan = PipelinePlan.of(hadoop, config, steps, from, to, force);
    System.out.println("pdm " + name() + ": work folder " + work + (dryRun ? " (dry run: nothing is run)" : ""));
    plan.lines().forEach(System.out::println);
    if (dryRun) {
      return 0;
    }
    FileSystem fs = new Path(work).getFileSystem(hadoop);
    Path workPath = fs.makeQualified(new Path(work));
    fs.mkdirs(workPath);
    try (OutputLock lock = OutputLock.acquire(fs, new Path(workPath, "pipeline"),
        "a pipeline is already running in the work folder " + work)) {
      return runSteps(config, hadoop, work, plan);
    }
  }

  private int runSteps(PdmConfig config, Configuration hadoop, String work, PipelinePlan plan) throws Exception {
    SparkSession spark = SparkSessions.getOrCreate(config, name());
    List<ReportWriter.StepRun> runs = new ArrayList<>();
    long start = System.nanoTime();
    for (PipelinePlan.Entry e : plan.entries()) {
      if (e.action() == PipelinePlan.Action.OUT_OF_RANGE) {
        runs.add(new ReportWriter.StepRun(e.step().name(), e.output(), "not in --from/--to", 0));
        continue;
      }
      if (e.action() == PipelinePlan.Action.LEFT_OUT) {
        System.out.println("== " + e.step().name() + ": " + e.reason());
        runs.add(new ReportWriter.StepRun(e.step().name(), e.output(), e.reason(), 0));
        continue;
      }
      System.out.println("== " + e.step().name());
      long t0 = System.nanoTime();
      StageResult result;
      try {
        result = e.step().run(spark, config, force);
      } catch (Exception failure) {
        System.err.println("pdm " + name() + ": stage " + e.step().name() + " failed; the outputs of the stages before it "
            + "are intact and the next run resumes at " + e.step().name());
        throw failure;
      }
      StageSummary.print(System.out, result);
      double seconds = (System.nanoTime() - t0) / 1e9;
      runs.add(new ReportWriter.StepRun(e.step().name(), e.output(), result.skipped() ? "skipped (up to date)"
          : "ran", seconds));
    }
    Path report = ReportWriter.write(hadoop, work, runs);
    System.out.printf("pdm %s: done in %.1f s; report %s%n", name(), (System.nanoTime() - start) / 1e9, report);
    return 0;
  }
}
