package org.pdm.latentcache;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.model.autoencoder.PyramidEncoderModel;
import org.pdm.model.bench.ModelBenchmark;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.FlopCounter;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.Checkpoint;

/**
 * {@code pdm bench encode}: the whole stage (Spark, PNG decoding, encoding, Parquet writing) against a
 * bare loop that encodes the same images, already decoded in memory, on the same device and threads,
 * measured in the same run; plus the encoder's achieved GFLOP/s against a matmul on the engine.
 * Prints numbers; asserts nothing about time.
 */
public final class EncodeBench {
  /** What was measured. */
  public record Report(int images, double stageImagesPerSecond, double sparkJobImagesPerSecond,
      double loopImagesPerSecond, double gflopPerImage, double matmulGflops, long peakRssMb) {
    public double ratio() {
      return stageImagesPerSecond / loopImagesPerSecond;
    }
  }

  private EncodeBench() {}

  public static Report run(SparkSession spark, PdmConfig config, String name, Path modelConfig, int count, int batch,
      String format, Path dir, PrintStream out) throws Exception {
    AutoEncoderConfig ae = (AutoEncoderConfig) ModelConfigs.load(modelConfig);
    Path ckpt = dir.resolve("autoencoder");
    Checkpoint.initialize(ckpt, ae, 1);
    List<Row> rows = new ArrayList<>();
    List<float[]> decoded = new ArrayList<>();
    Random rng = new Random(5);
    for (int i = 0; i < count; i++) {
      byte[] png = png(ae.imageWidth(), ae.imageHeight(), rng);
      // The rows as preprocess stores them: raw pixels by default, or PNG (preprocess.output.format).
      byte[] image = format.equals(DatasetSchema.RAW) ? DatasetImages.rgb(png, "png", ae.imageWidth(),
          ae.imageHeight()) : png;
      rows.add(RowFactory.create(String.format("bench-%06d", i), image, format, ae.imageWidth(), ae.imageHeight(),
          ae.imageWidth(), ae.imageHeight(), 0, 0, ae.imageWidth(), ae.imageHeight(), 1, "png", "sRGB", 1.0, 0L));
      decoded.add(DatasetImages.chwUnit(png, "png", ae.imageWidth(), ae.imageHeight()));
    }
    String dataset = dir.resolve("preprocess").toString();
    StageOutput.at(spark.sparkContext().hadoopConfiguration(), dataset).run(new StageSpec(
        WorkLayout.PREPROCESS.stage(), "{\"bench\":" + count + "}", List.of()), true, ctx ->
        spark.createDataFrame(rows, DatasetSchema.DATASET).write().parquet(ctx.path("dataset")));

    try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
      PyramidEncoderModel encoder = Checkpoint.loadEncoder(ckpt, root, Device.cpu(), false);
      double flops = flopsPerImage(encoder);
      loop(encoder, decoded.subList(0, Math.min(batch, count)), batch); // warm-up
      double loop = loop(encoder, decoded, batch);

      PdmConfig c = config.with("encode.batch-size=" + batch, "progress.enabled=false");
      long t0 = System.nanoTime();
      StageResult result = EncodeJob.run(spark, c, dataset, ckpt.toString(), dir.resolve("latents").toString(), true);
      double stageSeconds = (System.nanoTime() - t0) / 1e9;
      double stage = count / stageSeconds;
      if (result.counts().get("encoded") != count) {
        throw new IllegalStateException("the stage encoded " + result.counts().get("encoded") + " of " + count);
      }
      double loopAfter = loop(encoder, decoded, batch);
      double job = count / result.manifest().timingsSeconds().getOrDefault("encode", Double.NaN);
      Report r = new Report(count, stage, job, Math.max(loop, loopAfter), flops / 1e9,
          ModelBenchmark.matmulGflops(root), ModelBenchmark.status("VmHWM"));
      print(r, name, ae, batch, format, out);
      // Where the stage's time went: its manifest's timed steps, and the rest (planning, hashing, commit).
      var timings = result.manifest().timingsSeconds();
      double timed = 0;
      StringBuilder split = new StringBuilder();
      StringBuilder tasks = new StringBuilder();
      for (var t : timings.entrySet()) {
        boolean perTask = t.getKey().startsWith("tasks.");
        (perTask ? tasks : split).append(String.format("%s %.2f s, ", t.getKey().replace("tasks.", ""), t.getValue()));
        timed += perTask ? 0 : t.getValue();
      }
      out.printf("stage time          %.2f s: %sother %.2f s%n", stageSeconds, split, stageSeconds - timed);
      out.printf("tasks, summed       %s(loop: %.2f s in the encoder for the same images)%n", tasks,
          count / Math.max(loop, loopAfter));
      return r;
    }
  }

  /** Images/s of a plain loop over in-memory images, batches of {@code batch}. */
  private static double loop(PyramidEncoderModel encoder, List<float[]> images, int batch) {
    int size = images.get(0).length;
    long t0 = System.nanoTime();
    for (int start = 0; start < images.size(); start += batch) {
      int n = Math.min(batch, images.size() - start);
      float[] x = new float[n * size];
      for (int i = 0; i < n; i++) {
        System.arraycopy(images.get(start + i), 0, x, i * size, size);
      }
      encoder.encodeHost(x, n, false);
    }
    return images.size() / ((System.nanoTime() - t0) / 1e9);
  }

  private static double flopsPerImage(PyramidEncoderModel encoder) {
    AutoEncoderConfig c = encoder.config();
    FlopCounter counter = new FlopCounter();
    try (StepScope scope = StepScope.open(encoder)) {
      Ctx ctx = Ctx.eval(scope.manager()).withFlops(counter);
      encoder.encode(ctx, scope.manager().zeros(new Shape(1, c.imageChannels(), c.imageHeight(), c.imageWidth())));
    }
    return counter.total();
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

  private static void print(Report r, String config, AutoEncoderConfig ae, int batch, String format,
      PrintStream out) {
    out.printf("encode benchmark: %s (%dx%d), %d %s images, batch %d, %d intra-op thread(s)%n", config,
        ae.imageWidth(), ae.imageHeight(), r.images(), format, batch, Integer.getInteger("ai.djl.pytorch.num_threads",
            Runtime.getRuntime().availableProcessors()));
    out.printf("bare encode loop    %10.2f images/s  (images already decoded in memory)%n", r.loopImagesPerSecond());
    out.printf("pdm encode, stage   %10.2f images/s  (Spark, decode, encode, Parquet write, commit)%n",
        r.stageImagesPerSecond());
    out.printf("  its Spark job     %10.2f images/s  (the same without listing, moving files, stats and manifest)%n",
        r.sparkJobImagesPerSecond());
    out.printf("stage / loop        %10.3f%n", r.ratio());
    double achieved = r.gflopPerImage() * r.loopImagesPerSecond();
    out.printf("encoder             %.3f GFLOP/image; loop achieves %.2f GFLOP/s vs %.2f GFLOP/s matmul (%.1f%%)%n",
        r.gflopPerImage(), achieved, r.matmulGflops(), 100 * achieved / r.matmulGflops());
    out.printf("peak RSS            %d MB (driver and embedded executors)%n", r.peakRssMb());
  }

  /** A fresh temporary folder for the benchmark's data. */
  public static Path tempDir() throws IOException {
    return Files.createTempDirectory("pdm-bench-encode");
  }
}
