package org.pdm.eval.recon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.progress.SparkProgress;
import org.pdm.core.schema.ValidationSplit;
import org.pdm.core.stage.StageContext;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.eval.fid.DetectorSource;
import org.pdm.eval.fid.FeatureJob;
import org.pdm.eval.fid.FidConfig;
import org.pdm.eval.fid.FrechetDistance;

/**
 * {@code pdm eval recon} as a Spark job: the dataset's validation rows (core's {@link ValidationSplit})
 * go through {@link ReconTask}s on the executors; the driver averages the per-image scores.
 *
 * <pre>
 * out/
 *   recon.json       images, psnr (mean of per-image dB), psnr_of_mean_mse, ssim (mean), their spread,
 *                    rfid (null with rfid_skipped when pdm.eval.inception is not set), rejected rows by
 *                    reason, validation fraction, checkpoint and hash
 *   per-image.csv    id, mse, psnr, ssim (sorted by id)
 *   rejects.csv      id, reason, details of the validation rows that could not be used
 *   _manifest.json
 * </pre>
 */
public final class ReconJob {
  static final String RESULT = "recon.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReconJob() {}

  /** What the stage prints and writes: the averages over the scored images. */
  record Summary(long images, double psnr, double psnrOfMeanMse, double ssim, double psnrStd, double ssimStd) {
    static Summary of(List<Reconstructor.Score> scores) {
      int n = scores.size();
      double p = 0;
      double p2 = 0;
      double s = 0;
      double s2 = 0;
      double mse = 0;
      for (Reconstructor.Score x : scores) {
        p += x.psnr();
        p2 += x.psnr() * x.psnr();
        s += x.ssim();
        s2 += x.ssim() * x.ssim();
        mse += x.mse();
      }
      return new Summary(n, p / n, ImageMetrics.psnrOfMse(mse / n), s / n, std(p, p2, n), std(s, s2, n));
    }

    private static double std(double sum, double sumSq, int n) {
      return n < 2 ? 0 : Math.sqrt(Math.max(0, (sumSq - sum * sum / n) / (n - 1)));
    }
  }

  public static StageResult run(SparkSession spark, PdmConfig config, String dataset, String autoencoder, String out,
      boolean force) throws Exception {
    ReconConfig c = ReconConfig.from(config);
    var hadoop = spark.sparkContext().hadoopConfiguration();
    ReconInputs in = ReconInputs.resolve(hadoop, dataset, autoencoder, c.ema(), "eval recon");
    RfidFeatures.Spec rfid = rfid(hadoop, config);
    var progress = config.settings("progress");
    boolean show = progress.bool("enabled");
    Duration interval = progress.duration("interval", Duration.ofMillis(200), Duration.ofMinutes(10));
    return StageOutput.at(hadoop, out).run(spec(c, in, rfid), force,
        ctx -> measure(spark, ctx, c, in, rfid, show, interval));
  }

  /** What a run would record in its manifest, without Spark: for pdm pipeline's plan and pdm status. */
  public static StageSpec spec(org.apache.hadoop.conf.Configuration hadoop, PdmConfig config, String dataset,
      String autoencoder) throws java.io.IOException {
    ReconConfig c = ReconConfig.from(config);
    return spec(c, ReconInputs.resolve(hadoop, dataset, autoencoder, c.ema(), "eval recon"), rfid(hadoop, config));
  }

  /** rFID's extractor and settings (eval.fid's), or null when pdm.eval.inception is not set. */
  private static RfidFeatures.Spec rfid(org.apache.hadoop.conf.Configuration hadoop, PdmConfig config)
      throws java.io.IOException {
    FidConfig fid = FidConfig.from(config);
    return fid.inception().isEmpty() ? null : new RfidFeatures.Spec(DetectorSource.of(hadoop, fid.inception()),
        fid.mode(), fid.inputSize(), fid.batchSize());
  }

  private static StageSpec spec(ReconConfig c, ReconInputs in, RfidFeatures.Spec rfid) throws java.io.IOException {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("autoencoder", in.autoencoder().checkpoint());
    spec.put("autoencoder_sha256", in.autoencoder().hash());
    spec.put("ema", in.autoencoder().ema());
    spec.put("validation_fraction", c.validationFraction());
    if (rfid != null) { // setting the extractor later makes the next run measure rFID
      spec.put("rfid_detector_sha256", rfid.detector().sha256());
      spec.put("rfid_mode", rfid.mode().label());
      spec.put("rfid_input_size", rfid.inputSize());
    }
    return new StageSpec(ReconConfig.STAGE, JSON.writeValueAsString(spec), List.of(in.dataset().toString()));
  }

  private static void measure(SparkSession spark, StageContext ctx, ReconConfig c, ReconInputs in,
      RfidFeatures.Spec rfid, boolean show, Duration interval) throws Exception {
    double fraction = c.validationFraction();
    Dataset<Row> rows = spark.read().parquet(in.dataset().toString()).select("id", "image", "format", "width",
        "height").filter((FilterFunction<Row>) r -> new ValidationSplit(fraction).isValidation(r.getString(0)));
    long total = ctx.timed("list", rows::count);
    List<Reconstructor.Score> scores = new ArrayList<>();
    List<String[]> rejects = new ArrayList<>();
    RfidFeatures.Moments moments = null;
    if (total > 0) {
      int target = c.partitions() > 0 ? c.partitions()
          : (int) Math.max(1, Math.min(total, 2L * spark.sparkContext().defaultParallelism()));
      Dataset<Row> parts = rows.rdd().getNumPartitions() < target ? rows.repartition(target) : rows;
      LongAccumulator done = spark.sparkContext().longAccumulator("recon rows");
      ReconTask task = new ReconTask(in.autoencoder(), in.config().imageWidth(), in.config().imageHeight(),
          c.batchSize(), rfid, done);
      ReconTask.Result all;
      try (SparkProgress p = SparkProgress.start(spark, "eval recon", total, done, interval, show)) {
        // merged in a tree as FID's moments are: with rFID each partial holds two d x d moments (32 MiB
        // each for d = 2048), so only a few may reach the driver at once (spark.driver.maxResultSize)
        all = ctx.timed("reconstruct", () -> parts.javaRDD().mapPartitions(task).treeAggregate(
            ReconTask.Result.empty(), ReconTask.Result::merge, ReconTask.Result::merge,
            FeatureJob.treeDepth(parts.rdd().getNumPartitions())));
      }
      scores.addAll(all.scores());
      rejects.addAll(all.rejects());
      moments = all.rfid();
    }
    if (scores.isEmpty()) {
      throw new IllegalStateException("no validation image could be scored (" + total + " validation rows of "
          + in.dataset() + " at fraction " + fraction + ", " + rejects.size() + " rejected): raise "
          + "pdm.eval.recon.validation-fraction or give a larger dataset");
    }
    scores.sort(Comparator.comparing(Reconstructor.Score::id));
    rejects.sort(Comparator.comparing(r -> r[0]));
    Summary s = Summary.of(scores);
    Map<String, Long> byReason = new TreeMap<>();
    rejects.forEach(r -> byReason.merge(r[1], 1L, Long::sum));
    ObjectNode json = JSON.createObjectNode();
    json.put("images", s.images());
    json.put("psnr", s.psnr());
    json.put("psnr_std", s.psnrStd());
    json.put("psnr_of_mean_mse", s.psnrOfMeanMse());
    json.put("ssim", s.ssim());
    json.put("ssim_std", s.ssimStd());
    json.put("data_range", 255);
    json.put("psnr_definition", "per image 10*log10(255^2/MSE) on 8-bit RGB, then the mean over images");
    json.put("ssim_definition", "Wang et al. 2004, 11x11 Gaussian window sigma 1.5, K1 0.01, K2 0.03, on [0, 255], "
        + "valid region, mean over channels (skimage gaussian_weights=True, use_sample_covariance=False)");
    json.put("validation_rows", total);
    json.put("validation_fraction", fraction);
    json.put("rejected", rejects.size());
    json.set("rejected_by_reason", JSON.valueToTree(byReason));
    json.put("autoencoder", in.autoencoder().checkpoint());
    json.put("autoencoder_sha256", in.autoencoder().hash());
    json.put("ema", in.autoencoder().ema());
    json.put("dataset", in.dataset().toString());
    rfid(ctx, json, rfid, moments);
    try (OutputStream os = ctx.fs().create(new Path(ctx.dir(), RESULT), true)) {
      JSON.writeValue(os, json);
    }
    try (PrintWriter w = writer(ctx, "per-image.csv")) {
      w.println("id,mse,psnr,ssim");
      for (Reconstructor.Score x : scores) {
        w.println(csv(x.id()) + "," + x.mse() + "," + x.psnr() + "," + x.ssim());
      }
    }
    try (PrintWriter w = writer(ctx, "rejects.csv")) {
      w.println("id,reason,details");
      for (String[] r : rejects) {
        w.println(csv(r[0]) + "," + r[1] + "," + csv(r[2]));
      }
    }
    ctx.count("validation-rows", total);
    ctx.count("images", s.images());
    ctx.count("rejected", rejects.size());
    byReason.forEach((k, v) -> ctx.count("rejected." + k, v));
  }

  /**
   * rFID into {@code json}: the FID between the validation images and their reconstructions, or null
   * with the reason ({@code rfid_skipped}) when no extractor is configured or too few features came out.
   */
  private static void rfid(StageContext ctx, ObjectNode json, RfidFeatures.Spec spec, RfidFeatures.Moments m)
      throws Exception {
    if (spec == null) {
      json.putNull("rfid");
      json.put("rfid_skipped", RFID_HOW);
      return;
    }
    ObjectNode d = json.putObject("rfid_detail");
    d.put("mode", spec.mode().label());
    d.put("input_size", spec.inputSize());
    d.put("detector", spec.detector().path());
    d.put("detector_sha256", spec.detector().sha256());
    long n = m == null ? 0 : Math.min(m.originals().count(), m.reconstructions().count());
    d.put("n", n);
    d.put("extract_failed", m == null ? 0 : m.failed());
    if (n < 2) {
      json.putNull("rfid");
      json.put("rfid_skipped", "only " + n + " validation image(s) gave features: rFID needs at least 2; raise "
          + "pdm.eval.recon.validation-fraction or give a larger dataset");
      return;
    }
    FrechetDistance.Result f = ctx.timed("rfid", () -> FrechetDistance.of(m.originals().gaussian(),
        m.reconstructions().gaussian()));
    json.put("rfid", f.fid());
    json.putNull("rfid_skipped");
    d.put("eigenvalues_clamped", f.clamped());
    if (n < FrechetDistance.MIN_SAMPLES) {
      d.put("warning", n + " images, fewer than " + FrechetDistance.MIN_SAMPLES + ": the covariance of 2048-d "
          + "Inception features is rank-deficient and the rFID biased high");
    }
    ctx.count("rfid.images", n);
  }

  /** Why rFID was not measured, and how to have it. */
  static final String RFID_HOW = "pdm.eval.inception is not set: set it to the FID Inception TorchScript "
      + "(pdm eval fetch-inception downloads inception-2015-12-05.pt) to measure rFID";

  /** The stage's line on standard output, from the committed recon.json (also when the run was skipped). */
  public static String line(org.apache.hadoop.conf.Configuration hadoop, String out) throws java.io.IOException {
    Path file = new Path(out, RESULT);
    try (var is = file.getFileSystem(hadoop).open(file)) {
      var j = JSON.readTree(is);
      String line = String.format("eval recon: PSNR %.3f dB, SSIM %.4f", j.get("psnr").asDouble(),
          j.get("ssim").asDouble());
      if (j.hasNonNull("rfid")) {
        line += String.format(", rFID %.4f", j.get("rfid").asDouble());
      }
      line += String.format(" on %d validation images of %s", j.get("images").asLong(), j.get("autoencoder").asText());
      if (j.hasNonNull("rfid_skipped")) {
        line += "\neval recon: rFID skipped: " + j.get("rfid_skipped").asText();
      }
      return line;
    }
  }

  private static PrintWriter writer(StageContext ctx, String name) throws java.io.IOException {
    return new PrintWriter(new java.io.OutputStreamWriter(ctx.fs().create(new Path(ctx.dir(), name), true),
        StandardCharsets.UTF_8));
  }

  /** A CSV field, quoted when it holds a comma, quote or line break. */
  static String csv(String v) {
    boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
