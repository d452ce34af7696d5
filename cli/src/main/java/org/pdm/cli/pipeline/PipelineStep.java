package org.pdm.cli.pipeline;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;

/**
 * One stage of the chain as {@code pdm pipeline} runs it. Each reads the previous one's default
 * output through the work folder; the stage itself skips a run whose output is up to date (its
 * manifest), so the pipeline only has to run them in order. {@link #spec} is the same spec the
 * stage's own run records, computed without Spark, for {@code --dry-run} and {@code pdm status}.
 */
public interface PipelineStep {
  /** The name {@code --from} and {@code --to} take. */
  String name();

  /** The stage's output folder under this configuration. */
  String output(Configuration hadoop, PdmConfig config) throws IOException;

  /** What a run would record in its manifest; throws when an input is missing. */
  StageSpec spec(Configuration hadoop, PdmConfig config) throws IOException;

  /** Runs the stage; {@code force} redoes it even when its output is up to date. */
  StageResult run(SparkSession spark, PdmConfig config, boolean force) throws Exception;

  /**
   * Why this configuration leaves the stage out (a setting it needs is not given), and how to
   * include it; null when it runs.
   */
  default String leftOut(PdmConfig config) {
    return null;
  }
}
