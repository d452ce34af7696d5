package org.pdm.cli.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.core.synth.SynthJob;
import org.pdm.ingest.IngestConfig;
import org.pdm.ingest.IngestJob;
import org.pdm.latentcache.EncodeConfig;
import org.pdm.latentcache.EncodeJob;
import org.pdm.preprocess.PreprocessConfig;
import org.pdm.preprocess.PreprocessJob;

/** The chain in order, each step wired to the stage's own job and its default input and output. */
public final class PipelineSteps {
  private PipelineSteps() {}

  /**
   * The steps for {@code config}: synth first when {@code pdm.ingest.inputs} is empty (ingest then
   * reads the sample data, as the demo does), then ingest to the end of the chain.
   */
  public static List<PipelineStep> of(PdmConfig config) {
    List<PipelineStep> steps = new ArrayList<>();
    if (config.settings("ingest").stringList("inputs").stream().allMatch(String::isBlank)) {
      steps.add(synth());
    }
    steps.add(ingest());
    steps.add(preprocess());
    steps.add(encode());
    return steps;
  }

  /** The names of the steps {@code --from} and {@code --to} accept, in order. */
  public static List<String> names(PdmConfig config) {
    return of(config).stream().map(PipelineStep::name).toList();
  }

  static PipelineStep synth() {
    return new Step("synth") {
      @Override
      public String output(Configuration hadoop, PdmConfig config) {
        return WorkLayout.of(config).dir(WorkLayout.SYNTH);
      }

      @Override
      public StageSpec spec(Configuration hadoop, PdmConfig config) {
        return SynthJob.spec(config);
      }

      @Override
      public StageResult run(SparkSession spark, PdmConfig config) throws Exception {
        return SynthJob.run(spark, config, output(null, config), false);
      }
    };
  }

  static PipelineStep ingest() {
    return new Step("ingest") {
      @Override
      public String output(Configuration hadoop, PdmConfig config) {
        return IngestJob.outDir(config, IngestConfig.fromWithoutInputs(config));
      }

      @Override
      public StageSpec spec(Configuration hadoop, PdmConfig config) throws java.io.IOException {
        return IngestJob.spec(hadoop, config);
      }

      @Override
      public StageResult run(SparkSession spark, PdmConfig config) throws Exception {
        return IngestJob.run(spark, config, false);
      }
    };
  }

  static PipelineStep preprocess() {
    return new Step("preprocess") {
      @Override
      public String output(Configuration hadoop, PdmConfig config) {
        return PreprocessConfig.from(config).output(WorkLayout.of(config));
      }

      @Override
      public StageSpec spec(Configuration hadoop, PdmConfig config) throws java.io.IOException {
        PreprocessConfig c = PreprocessConfig.from(config);
        return PreprocessJob.spec(hadoop, config, c.input(WorkLayout.of(config)));
      }

      @Override
      public StageResult run(SparkSession spark, PdmConfig config) throws Exception {
        PreprocessConfig c = PreprocessConfig.from(config);
        WorkLayout work = WorkLayout.of(config);
        return PreprocessJob.run(spark, config, c.input(work), c.output(work), false);
      }
    };
  }

  static PipelineStep encode() {
    return new Step("encode") {
      @Override
      public String output(Configuration hadoop, PdmConfig config) {
        return EncodeConfig.from(config).out(WorkLayout.of(config));
      }

      @Override
      public StageSpec spec(Configuration hadoop, PdmConfig config) throws java.io.IOException {
        EncodeConfig c = EncodeConfig.from(config);
        WorkLayout work = WorkLayout.of(config);
        return EncodeJob.spec(hadoop, config, c.dataset(work), c.autoencoder(work));
      }

      @Override
      public StageResult run(SparkSession spark, PdmConfig config) throws Exception {
        EncodeConfig c = EncodeConfig.from(config);
        WorkLayout work = WorkLayout.of(config);
        return EncodeJob.run(spark, config, c.dataset(work), c.autoencoder(work), c.out(work), false);
      }
    };
  }

  private abstract static class Step implements PipelineStep {
    private final String name;

    Step(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }
  }
}
