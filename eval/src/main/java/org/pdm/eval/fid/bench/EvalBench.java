package org.pdm.eval.fid.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.eval.fid.DetectorSource;
import org.pdm.eval.fid.FeatureJob;
import org.pdm.core.config.ModelConfigFiles;
import org.pdm.eval.fid.FidConfig;
import org.pdm.eval.fid.GenerateConfig;
import org.pdm.eval.fid.GeneratedFeatures;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.train.Checkpoint;
import org.pdm.eval.fid.FrechetDistance;
import org.pdm.eval.fid.GaussianStats;
import org.pdm.eval.fid.Npz;

/**
 * {@code pdm bench eval}, two comparisons measured in the same run: our Fréchet distance of two
 * {@code dim}-d statistics against pytorch-fid's ({@code scipy.linalg.sqrtm}) in Debian's python3-scipy,
 * and the features/s of an Inception-v3-sized TorchScript in our Spark executors against Debian's
 * python3-torch running the same file on the same cores; and the time split of an FID drawn from a
 * flow (sample / decode / features / merge). Prints numbers; asserts nothing about time.
 */
public final class EvalBench {
  private static final String PYTHON = "/usr/bin/python3";

  private EvalBench() {}

  public static void frechet(int dim, Path dir, PrintStream out) throws Exception {
    Random rng = new Random(1);
    GaussianStats a = randomStats(rng, dim, 1.0);
    GaussianStats b = randomStats(rng, dim, 1.3);
    long t0 = System.nanoTime();
    FrechetDistance.Result ours = FrechetDistance.of(a, b);
    double oursSeconds = (System.nanoTime() - t0) / 1e9;
    out.printf("frechet distance, %d-d statistics%n", dim);
    out.printf("  pdm (Cholesky, F^T S2 F, eig) %10.3f s   fid %.10g (%d eigenvalue(s) clamped)%n", oursSeconds,
        ours.fid(), ours.clamped());
    Path fa = dir.resolve("a.npz");
    Path fb = dir.resolve("b.npz");
    Files.write(fa, Npz.bytes(a.toNpz()));
    Files.write(fb, Npz.bytes(b.toNpz()));
    List<String> py = python(dir, "frechet_scipy.py", fa.toString(), fb.toString());
    if (py == null) {
      out.println("  scipy: skipped (needs /usr/bin/python3 with python3-numpy and python3-scipy)");
      return;
    }
    String[] v = py.get(py.size() - 1).trim().split("\\s+");
    double fid = Double.parseDouble(v[0]);
    double seconds = Double.parseDouble(v[1]);
    out.printf("  pytorch-fid (scipy sqrtm)     %10.3f s   fid %.10g%n", seconds, fid);
    out.printf("  pdm / scipy time %.3f; relative difference %.2e%n", oursSeconds / seconds,
        Math.abs(ours.fid() - fid) / Math.abs(fid));
  }

  public static void features(SparkSession spark, PdmConfig config, int count, int batch, Path dir, PrintStream out)
      throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    Path model = dir.resolve("inception-sized.pt");
    List<String> py = python(dir, "inception_sized.py", model.toString(), Integer.toString(count),
        Integer.toString(batch), Integer.toString(cores));
    if (py == null) {
      out.println("features: skipped (needs /usr/bin/python3 with python3-torch to make the Inception-sized model)");
      return;
    }
    double macs = Double.NaN;
    double pythonRate = Double.NaN;
    for (String line : py) {
      String[] v = line.trim().split("\\s+");
      if (v[0].equals("macs")) {
        macs = Double.parseDouble(v[1]);
      } else if (v[0].equals("images_per_s")) {
        pythonRate = Double.parseDouble(v[1]);
      }
    }
    List<Row> rows = new ArrayList<>();
    Random rng = new Random(5);
    for (int i = 0; i < count; i++) {
      byte[] png = png(299, 299, rng);
      rows.add(RowFactory.create(String.format("bench-%06d", i), png, "png", 299, 299, 299, 299, 0, 0, 299, 299, 1,
          "png", "sRGB", 1.0, 0L));
    }
    var pictures = spark.createDataFrame(rows, DatasetSchema.DATASET).select("id", "image", "format", "width",
        "height").cache();
    pictures.count();
    PdmConfig c = config.with("eval.inception=\"" + model + "\"", "eval.fid.batch-size=" + batch,
        "eval.fid.mode=legacy-tensorflow", "progress.enabled=false");
    FidConfig fc = FidConfig.from(c);
    DetectorSource detector = DetectorSource.of(spark.sparkContext().hadoopConfiguration(), model.toString());
    // One warm-up pass loads the model in every executor JVM, as a long run would amortize it.
    FeatureJob.extract(spark, pictures.limit(Math.min(count, 2 * cores)), detector, fc,
        dir.resolve("warm").toString(), "warm-up", false);
    long t0 = System.nanoTime();
    FeatureJob.Extracted e = FeatureJob.extract(spark, pictures, detector, fc, dir.resolve("features").toString(),
        "bench", false);
    double ours = count / ((System.nanoTime() - t0) / 1e9);
    if (e.features() != count) {
      throw new IllegalStateException("extracted " + e.features() + " of " + count + ": " + e.rejects());
    }
    out.printf("features, Inception-sized TorchScript (%.2f G multiply-adds per 299x299 picture, 2048-d), %d pictures,"
        + " batch %d%n", macs / 1e9, count, batch);
    out.printf("  python3-torch %s, %d thread(s), one process   %8.3f pictures/s  (uint8 tensors in memory)%n",
        "1.13", cores, pythonRate);
    out.printf("  pdm executors (%s, %s intra-op thread(s) per task)  %8.3f pictures/s  (Spark job: PNG decode, "
        + "network, Parquet write)%n", spark.sparkContext().master(), System.getProperty("ai.djl.pytorch.num_threads",
        "all"), ours);
    out.printf("  pdm / python %.3f%n", ours / pythonRate);
    pictures.unpersist();
  }

  /**
   * The time split of an FID whose fake side is drawn in the feature tasks: {@code count} samples of
   * fresh unet-tiny and autoencoder-tiny checkpoints (the machinery's cost, not a trained model's
   * quality) through {@link GeneratedFeatures}, then the moments' merge. The extractor is
   * {@code pdm.eval.inception} when set, else the Inception-sized stand-in (needs python3-torch to
   * make it). Sampling, decoding and features are task-seconds summed over the tasks.
   */
  public static void fidSplit(SparkSession spark, PdmConfig config, long count, String sampler, Path dir,
      PrintStream out) throws Exception {
    var hadoop = spark.sparkContext().hadoopConfiguration();
    String detectorFile = FidConfig.from(config).inception();
    String detectorName = detectorFile;
    if (detectorFile.isEmpty()) {
      Path model = dir.resolve("inception-sized.pt");
      if (!Files.exists(model) && python(dir, "inception_sized.py", model.toString(), "1", "1", "1") == null) {
        out.println("fid split: skipped (set pdm.eval.inception, or install python3-torch to make the Inception-sized "
            + "stand-in)");
        return;
      }
      detectorFile = model.toString();
      detectorName = "Inception-sized stand-in (2048-d, 5.9 G multiply-adds)";
    }
    Path flow = dir.resolve("flow");
    Path autoencoder = dir.resolve("autoencoder");
    Checkpoint.initialize(flow, ModelConfigs.load(ModelConfigFiles.resolve("unet-tiny")), 1);
    Checkpoint.initialize(autoencoder, ModelConfigs.load(ModelConfigFiles.resolve("autoencoder-tiny")), 2);
    PdmConfig c = config.with("eval.inception=\"" + detectorFile + "\"", "sample.sampler=\"" + sampler + "\"",
        "progress.enabled=false", "sample.grid=0");
    FidConfig fc = FidConfig.from(c);
    DetectorSource detector = DetectorSource.of(hadoop, detectorFile);
    // A warm-up run loads the three models in this JVM, as a long run would amortize it.
    GeneratedFeatures.extract(spark, plan(hadoop, c, 2, flow, autoencoder), detector, fc,
        dir.resolve("warm").toString(), null, null, false);
    GeneratedFeatures.Plan plan = plan(hadoop, c, count, flow, autoencoder);
    String features = dir.resolve("split").toString();
    GeneratedFeatures.Result r = GeneratedFeatures.extract(spark, plan, detector, fc, features, null, null, false);
    long t0 = System.nanoTime();
    GaussianStats stats = FeatureJob.moments(spark, features).gaussian();
    double merge = (System.nanoTime() - t0) / 1e9;
    GeneratedFeatures.Times t = r.times();
    double tasks = t.sample() + t.decode() + t.features();
    out.printf("fid time split, %d samples drawn in the feature tasks (unet-tiny + autoencoder-tiny, %s, batch %d, "
        + "NFE mean %.1f; extractor: %s, %s mode, %d-d; %s, %d partitions)%n", r.samples(),
        plan.sample().sampler().label(), plan.sample().batchSize(), r.nfeMean(), detectorName, fc.mode().label(),
        stats.dim(), spark.sparkContext().master(), r.partitions());
    out.printf("  sample   (flow integration)         %9.2f task-s  %5.1f %%  %8.4f s/sample%n", t.sample(),
        100 * t.sample() / tasks, t.sample() / r.samples());
    out.printf("  decode   (autoencoder, 8-bit)       %9.2f task-s  %5.1f %%  %8.4f s/sample%n", t.decode(),
        100 * t.decode() / tasks, t.decode() / r.samples());
    out.printf("  features (resize + extractor)       %9.2f task-s  %5.1f %%  %8.4f s/sample%n", t.features(),
        100 * t.features() / tasks, t.features() / r.samples());
    out.printf("  merge    (moments, treeAggregate)   %9.2f s on the driver%n", merge);
    out.printf("  wall of the draw + features job     %9.2f s = %.3f samples/s; 50000 samples at this rate: %.1f h "
        + "(extrapolated)%n", t.wall(), r.samples() / t.wall(), 50000 / (r.samples() / t.wall()) / 3600);
  }

  private static GeneratedFeatures.Plan plan(org.apache.hadoop.conf.Configuration hadoop, PdmConfig c, long count,
      Path flow, Path autoencoder) throws Exception {
    GenerateConfig g = GenerateConfig.from(c.with("eval.fid.generate.count=" + count));
    return GeneratedFeatures.Plan.of(hadoop, g, flow.toString(), autoencoder.toString());
  }

  /** {@code N(0, scale^2 (B B^T / d + 0.01 I))} statistics with a random mean: a full-rank covariance. */
  private static GaussianStats randomStats(Random rng, int d, double scale) {
    double[] b = new double[d * d];
    for (int i = 0; i < b.length; i++) {
      b[i] = rng.nextGaussian();
    }
    DMatrixRMaj s;
    try (NDManager nd = NDManager.newBaseManager(Device.cpu())) { // B B^T on the engine: setup, not timed
      NDArray ba = nd.create(b, new Shape(d, d));
      s = DMatrixRMaj.wrap(d, d, ba.matMul(ba.transpose()).toDoubleArray());
    }
    CommonOps_DDRM.scale(scale * scale / d, s);
    for (int i = 0; i < d; i++) {
      s.data[i * d + i] += 0.01 * scale * scale;
    }
    double[] mu = new double[d];
    for (int i = 0; i < d; i++) {
      mu[i] = rng.nextGaussian() * 0.1;
    }
    return new GaussianStats(10_000, mu, s.data);
  }

  /** Runs a bundled script with /usr/bin/python3; null when python or its packages are missing. */
  private static List<String> python(Path dir, String script, String... args) throws IOException,
      InterruptedException {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return null;
    }
    Path file = dir.resolve(script);
    try (InputStream in = EvalBench.class.getResourceAsStream(script)) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      if (text.contains("ModuleNotFoundError")) {
        return null;
      }
      throw new IOException(script + " failed: " + text);
    }
    return List.of(text.split("\n"));
  }

  private static byte[] png(int w, int h, Random rng) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int base = rng.nextInt(0xffffff);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (base + x * 0x030201 + y * 0x010203 + rng.nextInt(8)) & 0xffffff);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    return bytes.toByteArray();
  }
}
