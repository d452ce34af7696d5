package org.pdm.cli;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.StageSummary;
import org.pdm.core.spark.SparkSessions;
import org.pdm.core.stage.OutputGuard;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.WorkLayout;
import org.pdm.core.synth.SynthJob;
import org.pdm.ingest.IngestCommand;
import org.pdm.ingest.IngestJob;
import org.pdm.ingest.write.RejectSchema;
import org.pdm.preprocess.PreprocessConfig;
import org.pdm.preprocess.PreprocessJob;
import picocli.CommandLine.Command;

/**
 * {@code pdm demo}: the main job on the embedded default. Generates sample data into the work folder
 * and runs every stage that exists, end to end, printing what each produced and where. Takes the
 * {@code demo} preset unless {@code --conf} names another.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline on generated sample data (preset 'demo' unless --conf is given).")
public final class DemoCommand extends StageCommand {
  @Override
  protected String defaultPreset() {
    return "demo";
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    StageConfigs.checkAll(config);
    WorkLayout work = WorkLayout.of(config);
    PreprocessConfig pre = PreprocessConfig.from(config);
    var hadoop = new org.apache.hadoop.conf.Configuration();
    // Every output the demo will write, checked before Spark starts.
    OutputGuard.check(hadoop, work.dir(WorkLayout.SYNTH), WorkLayout.SYNTH.stage());
    OutputGuard.check(hadoop, work.dir(WorkLayout.INGEST), WorkLayout.INGEST.stage());
    OutputGuard.check(hadoop, pre.output(work), WorkLayout.PREPROCESS.stage());
    SparkSession spark = SparkSessions.getOrCreate(config, "demo");
    long start = System.nanoTime();
    System.out.println("pdm demo: work folder " + work.root());

    StageResult synth = SynthJob.run(spark, config, work.dir(WorkLayout.SYNTH), force);
    StageSummary.print(System.out, synth);
    System.out.println("  images:    " + synth.output() + "/images/");
    System.out.println("  manifests: " + synth.output() + "/photos.tsv (Unsplash Lite), " + synth.output()
        + "/flickr.csv (Flickr API)");

    PdmConfig ingestConf = config.with("ingest.inputs=" + IngestCommand.hoconList(List.of(synth.output() + "/" + WorkLayout.SYNTH_FLICKR)),
        "ingest.out=\"" + work.dir(WorkLayout.INGEST) + "\"");
    StageResult ingest = IngestJob.run(spark, ingestConf, force);
    StageSummary.print(System.out, ingest);
    System.out.println("  raw images: " + ingest.output() + "/raw/ (Parquet, RawImageSchema)");
    System.out.println("  rejects:    " + ingest.output() + "/rejects/ (Parquet, with reasons)");
    System.out.println("  stats:      " + ingest.output() + "/stats.json");
    if (new java.io.File(ingest.output(), "rejects").isDirectory()) {
      spark.read().schema(RejectSchema.SCHEMA).parquet(ingest.output() + "/rejects").groupBy("reason").count()
          .orderBy("reason").collectAsList()
          .forEach(r -> System.out.printf("    rejected %-26s %d%n", r.getString(0), r.getLong(1)));
    }

    // Preprocess reads what ingest stored (<work>/ingest/raw) unless preprocess.in names another input.
    StageResult preprocess = PreprocessJob.run(spark, config, pre.input(work), pre.output(work), force);
    StageSummary.print(System.out, preprocess);
    System.out.println("  dataset:       " + preprocess.output() + "/dataset/ (Parquet, sorted by id)");
    System.out.println("  rejects:       " + preprocess.output() + "/rejects/ and stats.json");
    System.out.println("  contact sheet: " + preprocess.output() + "/contact-sheet.png");

    System.out.printf("pdm demo: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
