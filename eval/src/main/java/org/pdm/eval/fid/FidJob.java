package org.pdm.eval.fid;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StageContext;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.eval.sample.SampleJob;

/**
 * {@code pdm eval fid} as a Spark job: each side's pictures to features (or its {@code .npz}
 * statistics), the Fréchet distance of the two Gaussians, and KID and precision/recall from the
 * features; committed as one stage output.
 *
 * <pre>
 * out/
 *   fid.json             fid, kid, precision, recall, n_real, n_fake, mode, detector sha256, times, warnings
 *   features/real/       FeatureSchema Parquet (absent for an .npz side)
 *   features/fake/
 *   _manifest.json
 * </pre>
 */
public final class FidJob {
  static final String RESULT = "fid.json";
  static final String REAL_STATS = "real-stats.npz";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What a run found, also written to fid.json. */
  public record Outcome(StageResult stage, ObjectNode json) {
    public double fid() {
      return json.get("fid").asDouble();
    }
  }

  private FidJob() {}

  /** FID of {@code real} against the pictures or statistics at {@code fake}. */
  public static Outcome run(SparkSession spark, PdmConfig config, String real, String fake, String out,
      boolean force) throws Exception {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    return run(spark, config, real, FidInput.resolve(hadoop, fake, "--fake"), null, out, force);
  }

  /**
   * FID of {@code real} against {@code pdm.eval.fid.generate.count} samples drawn from the {@code flow}
   * checkpoint and decoded by {@code autoencoder} inside the feature tasks (as {@code pdm sample} draws
   * them, by {@code pdm.sample}'s settings), without writing the pictures unless
   * {@code pdm.eval.fid.generate.keep-samples}.
   */
  public static Outcome runGenerated(SparkSession spark, PdmConfig config, String real, String flow,
      String autoencoder, String out, boolean force) throws Exception {
    GenerateConfig g = GenerateConfig.from(config);
    if (!g.enabled()) {
      throw new org.pdm.core.config.ConfigError("pdm.eval.fid.generate.count is 0: give --count N, the samples to "
          + "draw from the flow checkpoint");
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    return run(spark, config, real, null, GeneratedFeatures.Plan.of(hadoop, g, flow, autoencoder), out, force);
  }

  /** One of {@code f} (a fake side to read) and {@code g} (one to draw) is given. */
  private static Outcome run(SparkSession spark, PdmConfig config, String real, FidInput f, GeneratedFeatures.Plan g,
      String out, boolean force) throws Exception {
    FidConfig c = FidConfig.from(config);
    WorkLayout work = WorkLayout.of(config);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    FidInput r = FidInput.resolve(hadoop, real, "--real");
    boolean needsNetwork = g != null || r.kind() != FidInput.Kind.STATS || f.kind() != FidInput.Kind.STATS;
    DetectorSource detector = needsNetwork ? DetectorSource.of(hadoop, c.inceptionRequired()) : null;
    Path saveStats = c.saveStats().isEmpty() ? null : new Path(c.saveStats());
    if (saveStats != null && !force && saveStats.getFileSystem(hadoop).exists(saveStats)) {
      throw new StagePathException("--save-stats " + saveStats + " exists: give a new file, or --force to replace it");
    }
    StageOutput output = StageOutput.at(hadoop, out);
    StageSpec stageSpec = spec(c, r, f, g, detector == null ? null : detector.sha256());
    boolean progress = config.settings("progress").bool("enabled");
    ObjectNode[] result = new ObjectNode[1];
    StageResult stage = output.run(stageSpec, force, ctx -> result[0] = compute(spark, ctx, c, r, f, g, detector,
        new StatsCache(hadoop, c.statsCache(work)), progress));
    ObjectNode json = result[0];
    if (json == null) { // skipped: the committed output is up to date
      try (var in = output.fs().open(new Path(output.path(), RESULT))) {
        json = (ObjectNode) JSON.readTree(in);
      }
    }
    if (saveStats != null) {
      FileSystem fs = saveStats.getFileSystem(hadoop);
      try (var in = output.fs().open(new Path(output.path(), REAL_STATS));
          OutputStream os = fs.create(saveStats, true)) {
        in.transferTo(os);
      }
    }
    return new Outcome(stage, json);
  }

  /** What a run would record in its manifest, without Spark: for pdm pipeline's plan and pdm status. */
  public static StageSpec spec(Configuration hadoop, PdmConfig config, String real, String fake) throws IOException {
    FidConfig c = FidConfig.from(config);
    FidInput r = FidInput.resolve(hadoop, real, "--real");
    FidInput f = FidInput.resolve(hadoop, fake, "--fake");
    boolean needsNetwork = r.kind() != FidInput.Kind.STATS || f.kind() != FidInput.Kind.STATS;
    return spec(c, r, f, null, needsNetwork ? DetectorSource.sha256(hadoop, c.inceptionRequired()) : null);
  }

  /** One of {@code f} (a fake side to read) and {@code g} (one to draw) is given. */
  private static StageSpec spec(FidConfig c, FidInput r, FidInput f, GeneratedFeatures.Plan g, String detectorSha256)
      throws IOException {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("mode", c.mode().label());
    spec.put("detector_sha256", detectorSha256);
    spec.put("input_size", c.inputSize());
    spec.put("kid_subsets", c.kidSubsets());
    spec.put("kid_subset_size", c.kidSubsetSize());
    spec.put("pr_k", c.prK());
    spec.put("metric_samples", c.metricSamples());
    spec.put("seed", c.seed());
    if (g != null) { // what decides the drawn pictures, as pdm sample's manifest records it
      ObjectNode d = spec.putObject("generate");
      d.put("flow_sha256", g.models().flow().hash());
      d.put("autoencoder_sha256", g.models().autoencoder().hash());
      d.put("ema", g.sample().ema());
      d.put("sampler", g.sample().sampler().label());
      d.put("seed", g.sample().seed());
      d.put("count", g.sample().count());
      d.put("batch_size", g.sample().batchSize());
      d.put("keep_samples", g.keep());
      d.put("grid", g.keep() ? g.sample().grid() : 0);
    }
    return new StageSpec(WorkLayout.EVAL.stage(), JSON.writeValueAsString(spec),
        f == null ? List.of(r.path().toString()) : List.of(r.path().toString(), f.path().toString()));
  }

  private static ObjectNode compute(SparkSession spark, StageContext ctx, FidConfig c, FidInput real, FidInput fake,
      GeneratedFeatures.Plan generate, DetectorSource detector, StatsCache cache, boolean progress) throws Exception {
    ObjectNode json = JSON.createObjectNode();
    List<String> warnings = new ArrayList<>();
    Path realFeatures = new Path(ctx.dir(), "features/real");
    Path fakeFeatures = new Path(ctx.dir(), "features/fake");
    GaussianStats rs = side(spark, ctx, c, real, detector, cache, realFeatures, "real", progress);
    ObjectNode drawn = generate == null ? null : JSON.createObjectNode();
    GaussianStats fs = generate == null ? side(spark, ctx, c, fake, detector, null, fakeFeatures, "fake", progress)
        : drawn(spark, ctx, c, generate, detector, fakeFeatures, progress, drawn);
    boolean fakeHasFeatures = generate != null || fake.kind() != FidInput.Kind.STATS;
    try (OutputStream os = ctx.fs().create(new Path(ctx.dir(), REAL_STATS))) {
      Npz.write(os, rs.toNpz());
    }
    FrechetDistance.Result fid = ctx.timed("frechet", () -> FrechetDistance.of(rs, fs));
    json.put("fid", fid.fid());
    if (real.kind() != FidInput.Kind.STATS && fakeHasFeatures) {
      float[][] rf = ctx.timed("collect", () -> FeatureJob.sample(spark, realFeatures.toString(), c.metricSamples(),
          c.seed()));
      float[][] ff = ctx.timed("collect", () -> FeatureJob.sample(spark, fakeFeatures.toString(), c.metricSamples(),
          c.seed()));
      try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
        KernelInceptionDistance.Result kid = ctx.timed("kid", () -> KernelInceptionDistance.of(m, rf, ff,
            c.kidSubsets(), c.kidSubsetSize(), c.seed()));
        ObjectNode k = json.putObject("kid");
        k.put("mean", kid.mean());
        k.put("std", kid.std());
        k.put("subsets", kid.subsets());
        k.put("subset_size", kid.subsetSize());
        if (rf.length > c.prK() && ff.length > c.prK()) {
          PrecisionRecall.Result pr = ctx.timed("precision_recall", () -> PrecisionRecall.of(m, rf, ff, c.prK()));
          json.put("precision", pr.precision());
          json.put("recall", pr.recall());
          json.put("pr_k", pr.k());
        } else {
          warnings.add("precision/recall skipped: k=" + c.prK() + " needs more than " + c.prK() + " features a side");
        }
      }
      json.put("metric_features_real", rf.length);
      json.put("metric_features_fake", ff.length);
    } else {
      json.putNull("kid");
      json.putNull("precision");
      json.putNull("recall");
      warnings.add("KID and precision/recall need features of both sides: an .npz side has only statistics");
    }
    json.put("n_real", rs.n());
    json.put("n_fake", fs.n());
    json.put("mode", c.mode().label());
    json.put("input_size", c.inputSize());
    ObjectNode det = json.putObject("detector");
    det.put("path", detector == null ? null : detector.path());
    det.put("sha256", detector == null ? null : detector.sha256());
    json.put("feature_dim", rs.dim());
    json.put("real", FileSystems.display(real.path()));
    json.put("fake", generate == null ? FileSystems.display(fake.path())
        : generate.sample().count() + " samples of " + FileSystems.display(new Path(generate.models().flow()
        .checkpoint())));
    if (drawn != null) {
      json.set("generated", drawn.get("generated"));
      json.set("times", drawn.get("times"));
    } else {
      json.putNull("generated");
    }
    json.put("eigenvalues_clamped", fid.clamped());
    json.put("most_negative_eigenvalue", fid.mostNegative());
    long fewest = Math.min(rs.n() > 0 ? rs.n() : Long.MAX_VALUE, fs.n() > 0 ? fs.n() : Long.MAX_VALUE);
    if (fewest < FrechetDistance.MIN_SAMPLES) {
      warnings.add(fewest + " samples, fewer than " + FrechetDistance.MIN_SAMPLES + ": the covariance of 2048-d "
          + "Inception features is rank-deficient and the FID biased high; use at least 2048 (papers use 10K-50K)");
    }
    if (fid.clamped() > 0) {
      warnings.add(fid.clamped() + " negative eigenvalue(s) from round-off clamped to 0 (most negative "
          + fid.mostNegative() + ")");
    }
    json.putPOJO("warnings", warnings);
    ctx.count("n_real", rs.n());
    ctx.count("n_fake", fs.n());
    try (OutputStream os = ctx.fs().create(new Path(ctx.dir(), RESULT))) {
      JSON.writeValue(os, json);
    }
    return json;
  }

  /** One side's statistics: from its npz, the cache (real side), or its extracted features. */
  private static GaussianStats side(SparkSession spark, StageContext ctx, FidConfig c, FidInput input,
      DetectorSource detector, StatsCache cache, Path features, String label, boolean progress) throws Exception {
    Configuration conf = ctx.fs().getConf();
    if (input.kind() == FidInput.Kind.STATS) {
      return input.stats(conf);
    }
    var pictures = input.rows(spark);
    String key = null;
    if (cache != null) {
      long n = pictures.count();
      key = StatsCache.key(conf, input, detector.sha256(), c.mode(), c.inputSize(), n);
      GaussianStats cached = cache.stats(key);
      if (cached != null) {
        Path from = new Path(cache.entry(key), "features");
        FileUtil.copy(from.getFileSystem(conf), from, ctx.fs(), features, false, conf);
        ctx.count(label + ".cached", 1);
        return cached;
      }
    }
    FeatureJob.Extracted e = ctx.timed("features_" + label, () -> FeatureJob.extract(spark, pictures, detector, c,
        features.toString(), label, progress));
    ctx.count(label + ".pictures", e.pictures());
    ctx.count(label + ".features", e.features());
    for (Map.Entry<String, Long> r : e.rejects().entrySet()) {
      ctx.count(label + ".rejected." + r.getKey(), r.getValue());
    }
    GaussianStats stats = ctx.timed("moments_" + label, () -> FeatureJob.moments(spark, features.toString())
        .gaussian());
    if (cache != null) {
      cache.put(key, stats, features);
    }
    return stats;
  }

  /**
   * The fake side drawn from the flow in the feature tasks; what was drawn and the time split go into
   * {@code json} ({@code generated}, {@code times}).
   */
  private static GaussianStats drawn(SparkSession spark, StageContext ctx, FidConfig c, GeneratedFeatures.Plan g,
      DetectorSource detector, Path features, boolean progress, ObjectNode json) throws Exception {
    Path kept = g.keep() ? new Path(ctx.dir(), GenerateConfig.KEPT) : null;
    GeneratedFeatures.Result r = ctx.timed("features_fake", () -> GeneratedFeatures.extract(spark, g, detector, c,
        features.toString(), ctx.fs(), kept, progress));
    ctx.count("fake.samples", r.samples());
    ctx.count("fake.drawn", r.drawn()); // equal unless a task was rerun: the rows are drawn once, then reused
    ctx.count("fake.features", r.features());
    for (Map.Entry<String, Long> e : r.rejects().entrySet()) {
      ctx.count("fake.rejected." + e.getKey(), e.getValue());
    }
    long t0 = System.nanoTime();
    GaussianStats stats = ctx.timed("moments_fake", () -> FeatureJob.moments(spark, features.toString()).gaussian());
    double merge = (System.nanoTime() - t0) / 1e9;
    SampleJob.Models m = g.models();
    ObjectNode d = json.putObject("generated");
    d.put("flow", m.flow().checkpoint());
    d.put("flow_sha256", m.flow().hash());
    d.put("autoencoder", m.autoencoder().checkpoint());
    d.put("autoencoder_sha256", m.autoencoder().hash());
    d.put("ema", g.sample().ema());
    d.put("sampler", g.sample().sampler().label());
    d.put("seed", g.sample().seed());
    d.put("count", r.samples());
    d.put("batch_size", g.sample().batchSize());
    d.put("partitions", r.partitions());
    ObjectNode nfe = d.putObject("nfe");
    nfe.put("mean", r.nfeMean());
    nfe.put("min", r.nfeMin());
    nfe.put("max", r.nfeMax());
    d.set("latent_divisors", JSON.valueToTree(r.divisors()));
    d.put("kept_samples", kept == null ? null : FileSystems.display(new Path(ctx.finalDir(), GenerateConfig.KEPT)));
    ObjectNode t = json.putObject("times");
    t.put("sample_task_seconds", r.times().sample());
    t.put("decode_task_seconds", r.times().decode());
    t.put("features_task_seconds", r.times().features());
    t.put("png_task_seconds", r.times().png());
    t.put("generate_wall_seconds", r.times().wall());
    t.put("merge_seconds", merge);
    return stats;
  }

  /** The line printed on standard output. */
  public static String line(Outcome o, String out) {
    var j = o.json();
    StringBuilder s = new StringBuilder(String.format("FID %.4f", j.get("fid").asDouble()));
    if (j.hasNonNull("kid")) {
      s.append(String.format("  KID %.6f ± %.6f", j.get("kid").get("mean").asDouble(),
          j.get("kid").get("std").asDouble()));
    }
    if (j.hasNonNull("precision")) {
      s.append(String.format("  precision %.4f  recall %.4f", j.get("precision").asDouble(),
          j.get("recall").asDouble()));
    }
    s.append(String.format("  (%s, n_real=%d, n_fake=%d, detector %s)%s  -> %s/%s", j.get("mode").asText(),
        j.get("n_real").asLong(), j.get("n_fake").asLong(), shortHash(j.get("detector").get("sha256").asText(null)),
        o.stage().skipped() ? " [up to date, not recomputed]" : "", out, RESULT));
    return s.toString();
  }

  private static String shortHash(String h) {
    return h == null ? "none" : h.substring(0, Math.min(12, h.length()));
  }
}
