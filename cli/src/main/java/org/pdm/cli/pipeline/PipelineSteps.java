package org.pdm.cli.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.core.synth.SynthJob;
import org.pdm.eval.fid.FidConfig;
import org.pdm.eval.fid.FidJob;
import org.pdm.eval.recon.AblationConfig;
import org.pdm.eval.recon.AblationJob;
import org.pdm.eval.recon.AutoencoderEvalPaths;
import org.pdm.eval.recon.ReconConfig;
import org.pdm.eval.recon.ReconJob;
import org.pdm.eval.sample.SampleConfig;
import org.pdm.eval.sample.SampleJob;
import org.pdm.ingest.IngestConfig;
import org.pdm.ingest.IngestJob;
import org.pdm.latentcache.EncodeConfig;
import org.pdm.latentcache.EncodeJob;
import org.pdm.preprocess.PreprocessConfig;
import org.pdm.preprocess.PreprocessJob;
import org.pdm.train.ObjectiveSettings;
import org.pdm.train.TrainRun;

/**
 * The chain in order, each step wired to the stage's own job with its default input and output in
 * the work folder: synth (when no ingest inputs are set), ingest, preprocess, train-autoencoder,
 * encode, train-flow, sample, eval-recon, eval-ablation, eval-fid.
 */
public final class PipelineSteps {
  private PipelineSteps() {}

  /** A step's parts, each a call into the stage's own job. */
  private interface Output {
    String of(Configuration hadoop, PdmConfig config, WorkLayout work) throws IOException;
  }

  private interface Spec {
    StageSpec of(Configuration hadoop, PdmConfig config, WorkLayout work) throws IOException;
  }

  private interface Run {
    StageResult of(SparkSession spark, PdmConfig config, WorkLayout work, String out, boolean force) throws Exception;
  }

  /**
   * The steps for {@code config}: synth first when {@code pdm.ingest.inputs} is empty (ingest then
   * reads the sample data, as the demo does), then ingest to the end of the chain.
   */
  public static List<PipelineStep> of(PdmConfig config) {
    List<PipelineStep> steps = new ArrayList<>();
    if (config.settings("ingest").stringList("inputs").stream().allMatch(String::isBlank)) {
      steps.add(new Step("synth", (h, c, w) -> w.dir(WorkLayout.SYNTH), (h, c, w) -> SynthJob.spec(c),
          (s, c, w, out, force) -> SynthJob.run(s, c, out, force)));
    }
    steps.add(new Step("ingest", (h, c, w) -> IngestJob.outDir(c, IngestConfig.fromWithoutInputs(c)),
        (h, c, w) -> IngestJob.spec(h, c), (s, c, w, out, force) -> IngestJob.run(s, c, force)));
    steps.add(new Step("preprocess", (h, c, w) -> PreprocessConfig.from(c).output(w),
        (h, c, w) -> PreprocessJob.spec(h, c, PreprocessConfig.from(c).input(w)),
        (s, c, w, out, force) -> PreprocessJob.run(s, c, PreprocessConfig.from(c).input(w), out, force)));
    steps.add(train(ObjectiveSettings.AUTOENCODER));
    steps.add(new Step("encode", (h, c, w) -> EncodeConfig.from(c).out(w),
        (h, c, w) -> EncodeJob.spec(h, c, EncodeConfig.from(c).dataset(w), EncodeConfig.from(c).autoencoder(w)),
        (s, c, w, out, force) -> EncodeJob.run(s, c, EncodeConfig.from(c).dataset(w),
            EncodeConfig.from(c).autoencoder(w), out, force)));
    steps.add(train(ObjectiveSettings.FLOW));
    steps.add(new Step("sample", (h, c, w) -> SampleConfig.from(c).out(w),
        (h, c, w) -> SampleJob.spec(h, c, SampleConfig.from(c).flow(w), SampleConfig.from(c).autoencoder(w)),
        (s, c, w, out, force) -> SampleJob.run(s, c, SampleConfig.from(c).flow(w),
            SampleConfig.from(c).autoencoder(w), out, force)));
    steps.add(autoencoderEval("eval-recon", ReconConfig::from, ReconJob::spec, ReconJob::run));
    steps.add(autoencoderEval("eval-ablation", AblationConfig::from, AblationJob::spec, AblationJob::run));
    steps.add(new Step("eval-fid", (h, c, w) -> FidConfig.from(c).out(w),
        (h, c, w) -> FidJob.spec(h, c, FidConfig.from(c).real(w), FidConfig.from(c).fake(w)),
        (s, c, w, out, force) -> FidJob.run(s, c, FidConfig.from(c).real(w), FidConfig.from(c).fake(w), out, force)
            .stage()) {
      @Override
      public String leftOut(PdmConfig config) {
        return FidConfig.from(config).inception().isEmpty()
            ? "FID/KID skipped: pdm.eval.inception is not set; pdm eval fetch-inception --to FILE downloads the "
                + "Inception file, then set pdm.eval.inception=FILE"
            : null;
      }
    });
    return steps;
  }

  /** The names of the steps {@code --from} and {@code --to} accept, in order. */
  public static List<String> names(PdmConfig config) {
    return of(config).stream().map(PipelineStep::name).toList();
  }

  private interface AutoencoderEvalSpec {
    StageSpec of(Configuration hadoop, PdmConfig config, String dataset, String autoencoder) throws IOException;
  }

  private interface AutoencoderEvalRun {
    StageResult of(SparkSession spark, PdmConfig config, String dataset, String autoencoder, String out,
        boolean force) throws Exception;
  }

  /** An evaluation of the autoencoder on the dataset (recon, ablation), with its paths from its settings. */
  private static Step autoencoderEval(String name, java.util.function.Function<PdmConfig, AutoencoderEvalPaths> paths,
      AutoencoderEvalSpec spec, AutoencoderEvalRun run) {
    return new Step(name, (h, c, w) -> paths.apply(c).out(w),
        (h, c, w) -> spec.of(h, c, paths.apply(c).dataset(w), paths.apply(c).autoencoder(w)),
        (s, c, w, out, force) -> run.of(s, c, paths.apply(c).dataset(w), paths.apply(c).autoencoder(w), out, force));
  }

  /**
   * A training step: resumes its own unfinished run from the last checkpoint, redoes a finished one
   * whose settings or data changed (TrainRun's chain mode).
   */
  private static Step train(String objective) {
    return new Step("train-" + objective, (h, c, w) -> TrainRun.output(c, objective),
        (h, c, w) -> TrainRun.stageSpec(h, c, objective),
        (s, c, w, out, force) -> TrainRun.run(c, objective, TrainRun.Mode.CHAIN, force, System.err));
  }

  private static class Step implements PipelineStep {
    private final String name;
    private final Output output;
    private final Spec spec;
    private final Run run;

    Step(String name, Output output, Spec spec, Run run) {
      this.name = name;
      this.output = output;
      this.spec = spec;
      this.run = run;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String output(Configuration hadoop, PdmConfig config) throws IOException {
      return output.of(hadoop, config, WorkLayout.of(config));
    }

    @Override
    public StageSpec spec(Configuration hadoop, PdmConfig config) throws IOException {
      return spec.of(hadoop, config, WorkLayout.of(config));
    }

    @Override
    public StageResult run(SparkSession spark, PdmConfig config, boolean force) throws Exception {
      WorkLayout work = WorkLayout.of(config);
      return run.of(spark, config, work, output(spark.sparkContext().hadoopConfiguration(), config), force);
    }
  }
}
